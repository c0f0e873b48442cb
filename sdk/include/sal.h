// SAL 2 annotations. ntsim compiles them away: they document intent for MSVC's analyzer and
// have no effect on code generation, so every one expands to nothing.
#pragma once

#define _Use_decl_annotations_
#define _In_
#define _In_opt_
#define _In_z_
#define _In_opt_z_
#define _In_reads_(s)
#define _In_reads_opt_(s)
#define _In_reads_bytes_(s)
#define _In_reads_bytes_opt_(s)
#define _In_range_(l, h)
#define _Out_
#define _Out_opt_
#define _Out_writes_(s)
#define _Out_writes_opt_(s)
#define _Out_writes_bytes_(s)
#define _Out_writes_bytes_opt_(s)
#define _Out_writes_to_(s, c)
#define _Out_writes_bytes_to_(s, c)
#define _Out_writes_bytes_all_(s)
#define _Out_writes_z_(s)
#define _Inout_
#define _Inout_opt_
#define _Inout_z_
#define _Inout_updates_(s)
#define _Inout_updates_bytes_(s)
#define _Outptr_
#define _Outptr_opt_
#define _Outptr_result_maybenull_
#define _Outptr_result_buffer_(s)
#define _Outptr_result_bytebuffer_(s)
#define _Ret_maybenull_
#define _Ret_notnull_
#define _Ret_z_
#define _Must_inspect_result_
#define _Check_return_
#define _Success_(e)
#define _Post_invalid_
#define _Post_valid_
#define _Post_writable_byte_size_(s)
#define _Post_readable_byte_size_(s)
#define _Post_maybenull_
#define _Post_notnull_
#define _Pre_notnull_
#define _Pre_maybenull_
#define _Printf_format_string_
#define _Field_size_(s)
#define _Field_size_opt_(s)
#define _Field_size_bytes_(s)
#define _Field_size_bytes_part_(s, c)
#define _Field_size_bytes_part_opt_(s, c)
#define _Field_range_(l, h)
#define _Field_z_
#define _Null_terminated_
#define _NullNull_terminated_
#define _Frees_ptr_
#define _Frees_ptr_opt_
#define _Reserved_
#define _Analysis_assume_(e)
#define _Analysis_mode_(m)
#define _Dispatch_type_(t)
#define _Function_class_(c)
#define _IRQL_requires_(i)
#define _IRQL_requires_max_(i)
#define _IRQL_requires_min_(i)
#define _IRQL_requires_same_
#define _IRQL_raises_(i)
#define _IRQL_saves_
#define _IRQL_saves_global_(k, p)
#define _IRQL_restores_
#define _IRQL_restores_global_(k, p)
#define _IRQL_always_function_max_(i)
#define _IRQL_always_function_min_(i)
#define _IRQL_uses_cancel_
#define _IRQL_is_cancel_
#define _Requires_lock_held_(l)
#define _Requires_lock_not_held_(l)
#define _Acquires_lock_(l)
#define _Releases_lock_(l)
#define _Acquires_exclusive_lock_(l)
#define _Acquires_shared_lock_(l)
#define _Releases_exclusive_lock_(l)
#define _Releases_shared_lock_(l)
#define _Requires_exclusive_lock_held_(l)
#define _Requires_shared_lock_held_(l)
#define _Guarded_by_(l)
#define _Interlocked_
#define _Interlocked_operand_
#define _When_(c, a)
#define _At_(t, a)
#define _Kernel_float_saved_
#define _Kernel_float_restored_
#define _Kernel_float_used_
#define _Kernel_requires_resource_held_(r)
#define _Kernel_requires_resource_not_held_(r)
#define _Kernel_acquires_resource_(r)
#define _Kernel_releases_resource_(r)
#define _Kernel_clear_do_init_(y)
#define _Kernel_IoGetDmaAdapter_
#define _Notliteral_
#define _Literal_
#define _Const_
#define _Strict_type_match_
#define _Points_to_data_
#define _Maybe_raises_SEH_exception_
#define _Raises_SEH_exception_
#define _Pre_satisfies_(c)
#define _Post_satisfies_(c)
#define _Post_equal_to_(e)
#define _Out_range_(l, h)
#define _Ret_range_(l, h)
#define _Deref_out_range_(l, h)
#define _Pre_
#define _Post_
#define _Deref_
#define _Always_(a)
#define _Unchanged_(e)
#define _Enum_is_bitflag_
#define _Return_type_success_(e)
#define _In_NLS_string_(s)
#define _Inout_updates_opt_(s)
#define _Inout_updates_bytes_opt_(s)
#define _Outptr_opt_result_maybenull_
#define _Outptr_result_nullonfailure_
#define _COM_Outptr_
#define _Ret_writes_bytes_maybenull_(s)
#define _Ret_writes_maybenull_(s)
#define _Post_writable_size_(s)
#define _When_(c, a)
#define _Inexpressible_(e)
#define _Readable_bytes_(s)
#define _Writable_bytes_(s)
#define __drv_aliasesMem
#define __drv_freesMem(k)
#define __drv_allocatesMem(k)
#define __drv_dispatchType(t)
#define __drv_maxIRQL(i)
#define __drv_when(c, a)
#define __drv_requiresIRQL(i)
