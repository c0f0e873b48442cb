// WDM kernel header (ntsim SDK). The declarations are split by NT component under km/; this
// file includes them in dependency order, as the WDK's single wdm.h provides them.
#pragma once

#include <ntdef.h>
#include <ntstatus.h>
#include <km/types.h>
#include <km/crt.h>
#include <km/rtl.h>
#include <km/ke.h>
#include <km/ex.h>
#include <km/ob.h>
#include <km/se.h>
#include <km/ps.h>
#include <km/mm.h>
#include <km/io.h>
#include <km/dbg.h>
#include <km/zw.h>
#include <km/zw_sync.h>
#include <ntsim/seh.h>
#include <km/cm.h>
