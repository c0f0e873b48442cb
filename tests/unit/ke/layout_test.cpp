// The x64 layouts are checked at compile time by the static_asserts in km/ke.h; this file makes
// sure the header compiles on its own in a C++ translation unit and checks the constants.
#include "ke_test_util.h"

TEST(KeLayout, ObjectTypeCodes) {
    EXPECT_EQ(EventNotificationObject, 0);
    EXPECT_EQ(EventSynchronizationObject, 1);
    EXPECT_EQ(MutantObject, 2);
    EXPECT_EQ(ProcessObject, 3);
    EXPECT_EQ(QueueObject, 4);
    EXPECT_EQ(SemaphoreObject, 5);
    EXPECT_EQ(ThreadObject, 6);
    EXPECT_EQ(TimerNotificationObject, 8);
    EXPECT_EQ(TimerSynchronizationObject, 9);
    EXPECT_EQ(ApcObject, 18);
    EXPECT_EQ(DpcObject, 19);
    EXPECT_EQ(DeviceQueueObject, 20);
}

TEST(KeLayout, Sizes) {
    EXPECT_EQ(sizeof(DISPATCHER_HEADER), 0x18u);
    EXPECT_EQ(sizeof(KEVENT), 0x18u);
    EXPECT_EQ(sizeof(KSEMAPHORE), 0x20u);
    EXPECT_EQ(sizeof(KMUTEX), 0x38u);
    EXPECT_EQ(sizeof(KTIMER), 0x40u);
    EXPECT_EQ(sizeof(KDPC), 0x40u);
    EXPECT_EQ(sizeof(KAPC), 0x58u);
    EXPECT_EQ(sizeof(KWAIT_BLOCK), 0x30u);
    EXPECT_EQ(sizeof(KLOCK_QUEUE_HANDLE), 0x18u);
    EXPECT_EQ(sizeof(KDEVICE_QUEUE), 0x28u);
    EXPECT_EQ(sizeof(KDEVICE_QUEUE_ENTRY), 0x18u);
    EXPECT_EQ(sizeof(KGUARDED_MUTEX), 0x38u);
}

TEST(KeLayout, Constants) {
    EXPECT_EQ(EVENT_ALL_ACCESS, 0x1F0003);
    EXPECT_EQ(SEMAPHORE_ALL_ACCESS, 0x1F0003);
    EXPECT_EQ(MUTANT_ALL_ACCESS, 0x1F0001);
    EXPECT_EQ(EVENT_MODIFY_STATE, 2);
    EXPECT_EQ(LOW_PRIORITY, 0);
    EXPECT_EQ(LOW_REALTIME_PRIORITY, 16);
    EXPECT_EQ(HIGH_PRIORITY, 31);
    EXPECT_EQ(MAXIMUM_PRIORITY, 32);
}
