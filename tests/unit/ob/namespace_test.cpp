// Object manager: namespace, names, symbolic links, parse procedures.
#include <gtest/gtest.h>

#include <algorithm>

#include "ob_test_support.h"
#include "test_support.h"

using namespace obtest;
using ntsim::test::Narrow;
namespace ob = ntsim::ob;

namespace {

bool HasEntry(const std::u16string& dir, const std::u16string& name, const std::u16string& type) {
    std::vector<ob::DirectoryEntry> entries;
    if (!NT_SUCCESS(ob::ListDirectory(dir, &entries))) return false;
    return std::any_of(entries.begin(), entries.end(), [&](const ob::DirectoryEntry& e) {
        return e.name == name && e.typeName == type;
    });
}

} // namespace

TEST(ObNamespace, StandardDirectoriesExist) {
    for (const char16_t* d : {u"Device", u"Driver", u"GLOBAL??", u"ObjectTypes",
                              u"BaseNamedObjects", u"KernelObjects", u"Callback", u"FileSystem"})
        EXPECT_TRUE(HasEntry(u"\\", d, u"Directory")) << Narrow(reinterpret_cast<const WCHAR*>(d));
    EXPECT_TRUE(HasEntry(u"\\", u"DosDevices", u"SymbolicLink"));
    for (const char16_t* t : {u"Type", u"Directory", u"SymbolicLink", u"Event", u"Semaphore",
                              u"Mutant", u"Timer", u"Process", u"Thread", u"Key", u"Token"})
        EXPECT_TRUE(HasEntry(u"\\ObjectTypes", t, u"Type"))
            << Narrow(reinterpret_cast<const WCHAR*>(t));
    EXPECT_EQ(ob::TypeByName(u"Event"), *ExEventObjectType);
    EXPECT_EQ(ob::TypeByName(u"Semaphore"), *ExSemaphoreObjectType);
    EXPECT_EQ(ob::TypeByName(u"Process"), *PsProcessType);
    EXPECT_EQ(ob::TypeByName(u"Thread"), *PsThreadType);
}

TEST(ObNamespace, QuestionMarksResolveToGlobal) {
    PVOID a = nullptr, b = nullptr;
    ASSERT_EQ(Lookup(u"\\??", 0, nullptr, &a), STATUS_SUCCESS);
    ASSERT_EQ(Lookup(u"\\GLOBAL??", 0, nullptr, &b), STATUS_SUCCESS);
    EXPECT_EQ(a, b);
    EXPECT_EQ(ob::TypeOf(a), ob::DirectoryType());
    ob::DereferenceObject(a);
    ob::DereferenceObject(b);
}

TEST(ObNamespace, CreateLookupCollisionOpenIf) {
    HANDLE h1 = nullptr;
    PVOID body = nullptr;
    ASSERT_EQ(CreateTestObject(u"\\BaseNamedObjects\\ObT1", 0, &h1, &body), STATUS_SUCCESS);
    EXPECT_NE(h1, nullptr);
    EXPECT_EQ(ULONG_PTR(h1) % 4, 0u);
    EXPECT_EQ(ob::FullName(body), u"\\BaseNamedObjects\\ObT1");

    PVOID found = nullptr;
    ASSERT_EQ(Lookup(u"\\BaseNamedObjects\\ObT1", OBJ_CASE_INSENSITIVE, TestType(), &found),
              STATUS_SUCCESS);
    EXPECT_EQ(found, body);
    ob::DereferenceObject(found);
    // Case-insensitive even without OBJ_CASE_INSENSITIVE: NT types are created case-insensitive.
    ASSERT_EQ(Lookup(u"\\basenamedobjects\\OBT1", 0, TestType(), &found), STATUS_SUCCESS);
    EXPECT_EQ(found, body);
    ob::DereferenceObject(found);
    // Wrong type.
    EXPECT_EQ(Lookup(u"\\BaseNamedObjects\\ObT1", 0, *ExEventObjectType, &found),
              STATUS_OBJECT_TYPE_MISMATCH);
    EXPECT_EQ(found, nullptr);

    HANDLE h2 = nullptr;
    EXPECT_EQ(CreateTestObject(u"\\BaseNamedObjects\\obt1", 0, &h2), STATUS_OBJECT_NAME_COLLISION);
    EXPECT_EQ(h2, nullptr);
    PVOID existing = nullptr;
    EXPECT_EQ(CreateTestObject(u"\\BaseNamedObjects\\ObT1", OBJ_OPENIF, &h2, &existing),
              STATUS_OBJECT_NAME_EXISTS);
    EXPECT_EQ(existing, body);
    EXPECT_NE(h2, h1);
    EXPECT_EQ(ob::HandleCount(body), 2);

    ob::DereferenceObject(existing);
    ob::DereferenceObject(body);
    int closes = C().closes, deletes = C().deletes;
    EXPECT_EQ(ob::CloseHandle(h2, KernelMode), STATUS_SUCCESS);
    EXPECT_EQ(C().closes, closes + 1);
    EXPECT_EQ(C().lastCloseCount, 2u);
    EXPECT_EQ(C().deletes, deletes);
    EXPECT_EQ(ob::CloseHandle(h1, KernelMode), STATUS_SUCCESS);
    EXPECT_EQ(C().lastCloseCount, 1u);
    // Last handle of a temporary object: the name goes, then the last reference deletes it.
    EXPECT_EQ(C().deletes, deletes + 1);
    EXPECT_EQ(Lookup(u"\\BaseNamedObjects\\ObT1", 0, nullptr, &found),
              STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_EQ(ob::CloseHandle(h1, KernelMode), STATUS_INVALID_HANDLE); // double close
}

TEST(ObNamespace, NameSyntaxErrors) {
    PVOID found = nullptr;
    EXPECT_EQ(Lookup(u"\\NoSuchDir\\x", 0, nullptr, &found), STATUS_OBJECT_PATH_NOT_FOUND);
    EXPECT_EQ(Lookup(u"\\Device\\NoSuchDevice", 0, nullptr, &found), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_EQ(Lookup(u"Device", 0, nullptr, &found), STATUS_OBJECT_PATH_SYNTAX_BAD);
    EXPECT_EQ(Lookup(u"", 0, nullptr, &found), STATUS_OBJECT_PATH_SYNTAX_BAD);
    EXPECT_EQ(Lookup(u"\\Device\\\\x", 0, nullptr, &found), STATUS_OBJECT_NAME_INVALID);
    EXPECT_EQ(Lookup(u"\\Device\\", 0, nullptr, &found), STATUS_OBJECT_NAME_INVALID);
    EXPECT_EQ(found, nullptr);

    // Odd byte length.
    Name odd(u"\\Device");
    odd.us.Length = 3;
    OBJECT_ATTRIBUTES oa = Attributes(odd, 0);
    EXPECT_EQ(ob::ReferenceObjectByName(&oa, nullptr, 0, KernelMode, nullptr, &found),
              STATUS_OBJECT_NAME_INVALID);
    // A leaf object has no children.
    HANDLE h = nullptr;
    ASSERT_EQ(CreateTestObject(u"\\BaseNamedObjects\\ObLeaf", 0, &h), STATUS_SUCCESS);
    EXPECT_EQ(Lookup(u"\\BaseNamedObjects\\ObLeaf\\child", 0, nullptr, &found),
              STATUS_OBJECT_PATH_NOT_FOUND);
    EXPECT_EQ(CreateTestObject(u"\\BaseNamedObjects\\ObLeaf\\child", 0, nullptr),
              STATUS_OBJECT_PATH_NOT_FOUND);
    EXPECT_EQ(CreateTestObject(u"\\NoSuchDir\\child", 0, nullptr), STATUS_OBJECT_PATH_NOT_FOUND);
    EXPECT_EQ(ob::CloseHandle(h, KernelMode), STATUS_SUCCESS);
}

TEST(ObNamespace, SymbolicLinksAndChains) {
    HANDLE h = nullptr;
    PVOID target = nullptr;
    ASSERT_EQ(ZwCreateDirectoryObject(&h, DIRECTORY_ALL_ACCESS,
                                      [] {
                                          static Name n(u"\\BaseNamedObjects\\ObDir");
                                          static OBJECT_ATTRIBUTES oa = Attributes(n, 0);
                                          return &oa;
                                      }()),
              STATUS_SUCCESS);
    HANDLE obj = nullptr;
    ASSERT_EQ(CreateTestObject(u"\\BaseNamedObjects\\ObDir\\Leaf", 0, &obj, &target),
              STATUS_SUCCESS);

    ASSERT_EQ(ob::CreateSymbolicLink(u"\\GLOBAL??\\ObDirLink", u"\\BaseNamedObjects\\ObDir", true),
              STATUS_SUCCESS);
    ASSERT_EQ(ob::CreateSymbolicLink(u"\\GLOBAL??\\ObChain1", u"\\??\\ObChain2", true),
              STATUS_SUCCESS);
    ASSERT_EQ(ob::CreateSymbolicLink(u"\\GLOBAL??\\ObChain2", u"\\DosDevices\\ObDirLink", true),
              STATUS_SUCCESS);
    EXPECT_EQ(ob::CreateSymbolicLink(u"\\GLOBAL??\\ObChain2", u"\\x", true),
              STATUS_OBJECT_NAME_COLLISION);

    PVOID found = nullptr;
    // A link in the middle of a path, through \?? and \DosDevices, and a chain of links.
    for (const char16_t* path : {u"\\??\\ObDirLink\\Leaf", u"\\GLOBAL??\\ObDirLink\\Leaf",
                                 u"\\DosDevices\\ObDirLink\\Leaf", u"\\??\\ObChain1\\Leaf"}) {
        ASSERT_EQ(Lookup(path, OBJ_CASE_INSENSITIVE, nullptr, &found), STATUS_SUCCESS)
            << Narrow(reinterpret_cast<const WCHAR*>(path));
        EXPECT_EQ(found, target);
        ob::DereferenceObject(found);
    }
    // Opening the link itself (type SymbolicLink) does not follow it.
    ASSERT_EQ(Lookup(u"\\??\\ObDirLink", 0, ob::SymbolicLinkType(), &found), STATUS_SUCCESS);
    EXPECT_EQ(ob::TypeOf(found), ob::SymbolicLinkType());
    ob::DereferenceObject(found);
    ASSERT_EQ(Lookup(u"\\??\\ObDirLink", OBJ_OPENLINK, nullptr, &found), STATUS_SUCCESS);
    EXPECT_EQ(ob::TypeOf(found), ob::SymbolicLinkType());
    ob::DereferenceObject(found);
    ASSERT_EQ(Lookup(u"\\??\\ObDirLink", 0, nullptr, &found), STATUS_SUCCESS);
    EXPECT_EQ(ob::TypeOf(found), ob::DirectoryType());
    ob::DereferenceObject(found);

    // A loop ends after the reparse limit.
    ASSERT_EQ(ob::CreateSymbolicLink(u"\\GLOBAL??\\ObLoopA", u"\\??\\ObLoopB", true),
              STATUS_SUCCESS);
    ASSERT_EQ(ob::CreateSymbolicLink(u"\\GLOBAL??\\ObLoopB", u"\\GLOBAL??\\ObLoopA", true),
              STATUS_SUCCESS);
    EXPECT_EQ(Lookup(u"\\??\\ObLoopA\\x", 0, nullptr, &found), STATUS_OBJECT_NAME_NOT_FOUND);
    // Dangling link.
    ASSERT_EQ(ob::CreateSymbolicLink(u"\\GLOBAL??\\ObDangling", u"\\Device\\Nothing", true),
              STATUS_SUCCESS);
    EXPECT_EQ(Lookup(u"\\??\\ObDangling", 0, nullptr, &found), STATUS_OBJECT_NAME_NOT_FOUND);

    std::vector<ob::DirectoryEntry> entries;
    ASSERT_EQ(ob::ListDirectory(u"\\GLOBAL??", &entries), STATUS_SUCCESS);
    auto it = std::find_if(entries.begin(), entries.end(),
                           [](auto& e) { return e.name == u"ObDirLink"; });
    ASSERT_NE(it, entries.end());
    EXPECT_EQ(it->typeName, u"SymbolicLink");
    EXPECT_EQ(it->linkTarget, u"\\BaseNamedObjects\\ObDir");

    for (const char16_t* l :
         {u"\\GLOBAL??\\ObDirLink", u"\\GLOBAL??\\ObChain1", u"\\GLOBAL??\\ObChain2",
          u"\\GLOBAL??\\ObLoopA", u"\\GLOBAL??\\ObLoopB", u"\\GLOBAL??\\ObDangling"})
        EXPECT_EQ(ob::DeleteSymbolicLink(l), STATUS_SUCCESS);
    EXPECT_EQ(ob::DeleteSymbolicLink(u"\\GLOBAL??\\ObDirLink"), STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_EQ(Lookup(u"\\??\\ObDirLink\\Leaf", 0, nullptr, &found), STATUS_OBJECT_PATH_NOT_FOUND);
    EXPECT_EQ(ZwClose(obj), STATUS_SUCCESS);
    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);
}

TEST(ObNamespace, ZwSymbolicLinkServices) {
    Name linkName(u"\\GLOBAL??\\ObZwLink");
    Name targetName(u"\\Device\\ObZwTarget");
    OBJECT_ATTRIBUTES oa = Attributes(linkName, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE);
    HANDLE link = nullptr;
    ASSERT_EQ(ZwCreateSymbolicLinkObject(&link, SYMBOLIC_LINK_ALL_ACCESS, &oa, &targetName.us),
              STATUS_SUCCESS);
    EXPECT_TRUE(ObIsKernelHandle(link));

    HANDLE opened = nullptr;
    ASSERT_EQ(ZwOpenSymbolicLinkObject(&opened, SYMBOLIC_LINK_QUERY, &oa), STATUS_SUCCESS);
    WCHAR small[4];
    UNICODE_STRING out{0, sizeof(small), small};
    ULONG len = 0;
    EXPECT_EQ(ZwQuerySymbolicLinkObject(opened, &out, &len), STATUS_BUFFER_TOO_SMALL);
    EXPECT_EQ(len, targetName.us.Length + sizeof(WCHAR));
    WCHAR big[64];
    out = {0, sizeof(big), big};
    ASSERT_EQ(ZwQuerySymbolicLinkObject(opened, &out, &len), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(out), "\\Device\\ObZwTarget");
    EXPECT_EQ(big[out.Length / 2], 0);
    EXPECT_EQ(ZwClose(opened), STATUS_SUCCESS);
    // Temporary link: the name goes with the last handle.
    EXPECT_EQ(ZwClose(link), STATUS_SUCCESS);
    EXPECT_EQ(ZwOpenSymbolicLinkObject(&opened, SYMBOLIC_LINK_QUERY, &oa),
              STATUS_OBJECT_NAME_NOT_FOUND);
}

TEST(ObNamespace, PermanentObjectsAndMakeTemporary) {
    HANDLE h = nullptr;
    PVOID body = nullptr;
    ASSERT_EQ(CreateTestObject(u"\\BaseNamedObjects\\ObPerm", OBJ_PERMANENT, &h, &body),
              STATUS_SUCCESS);
    EXPECT_TRUE(ob::IsPermanent(body));
    ob::DereferenceObject(body);
    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);
    PVOID found = nullptr;
    ASSERT_EQ(Lookup(u"\\BaseNamedObjects\\ObPerm", 0, nullptr, &found), STATUS_SUCCESS);
    int deletes = C().deletes;
    ObMakeTemporaryObject(found); // no handles left: the name goes now
    EXPECT_EQ(Lookup(u"\\BaseNamedObjects\\ObPerm", 0, nullptr, &body),
              STATUS_OBJECT_NAME_NOT_FOUND);
    EXPECT_EQ(C().deletes, deletes);
    ob::DereferenceObject(found);
    EXPECT_EQ(C().deletes, deletes + 1);

    ASSERT_EQ(CreateTestObject(u"\\BaseNamedObjects\\ObPerm2", OBJ_PERMANENT, &h), STATUS_SUCCESS);
    EXPECT_EQ(ZwMakeTemporaryObject(h), STATUS_SUCCESS);
    ASSERT_EQ(Lookup(u"\\BaseNamedObjects\\ObPerm2", 0, nullptr, &found), STATUS_SUCCESS);
    ob::DereferenceObject(found);
    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);
    EXPECT_EQ(Lookup(u"\\BaseNamedObjects\\ObPerm2", 0, nullptr, &found),
              STATUS_OBJECT_NAME_NOT_FOUND);
}

TEST(ObNamespace, ParseProcedureGetsRemainingName) {
    Name name(u"\\Device\\ObParse");
    OBJECT_ATTRIBUTES oa = Attributes(name, OBJ_PERMANENT);
    PVOID dev = nullptr;
    ASSERT_EQ(ob::CreateObject(ParseType(), &oa, 16, &dev), STATUS_SUCCESS);
    ASSERT_EQ(ob::InsertObject(dev, 0, OBJ_PERMANENT, KernelMode, nullptr), STATUS_SUCCESS);
    ASSERT_EQ(ob::CreateSymbolicLink(u"\\GLOBAL??\\ObParseLink", u"\\Device\\ObParse", true),
              STATUS_SUCCESS);

    PVOID found = nullptr;
    ASSERT_EQ(Lookup(u"\\Device\\ObParse", 0, nullptr, &found), STATUS_SUCCESS);
    EXPECT_EQ(found, dev);
    EXPECT_EQ(C().lastParseRemaining, u"");
    ob::DereferenceObject(found);
    ASSERT_EQ(Lookup(u"\\??\\ObParseLink\\dir\\file.txt", 0, nullptr, &found), STATUS_SUCCESS);
    EXPECT_EQ(C().lastParseRemaining, u"\\dir\\file.txt");
    ob::DereferenceObject(found);
    // The parse result is type-checked.
    EXPECT_EQ(Lookup(u"\\Device\\ObParse", 0, *ExEventObjectType, &found),
              STATUS_OBJECT_TYPE_MISMATCH);

    EXPECT_EQ(ob::DeleteSymbolicLink(u"\\GLOBAL??\\ObParseLink"), STATUS_SUCCESS);
    ob::MakeTemporary(dev);
    ob::DereferenceObject(dev);
}

TEST(ObNamespace, RelativeNamesAndDirectories) {
    Name dirName(u"\\BaseNamedObjects\\ObRel");
    OBJECT_ATTRIBUTES oa = Attributes(dirName, OBJ_CASE_INSENSITIVE);
    HANDLE dir = nullptr;
    ASSERT_EQ(ZwCreateDirectoryObject(&dir, DIRECTORY_ALL_ACCESS, &oa), STATUS_SUCCESS);
    HANDLE dir2 = nullptr;
    ASSERT_EQ(ZwOpenDirectoryObject(&dir2, DIRECTORY_QUERY, &oa), STATUS_SUCCESS);

    Name child(u"Child");
    OBJECT_ATTRIBUTES rel = Attributes(child, 0, dir);
    PVOID body = nullptr;
    ASSERT_EQ(ob::CreateObject(TestType(), &rel, sizeof(ObTestBody), &body), STATUS_SUCCESS);
    HANDLE h = nullptr;
    ASSERT_EQ(ob::InsertObject(body, kRead, 0, KernelMode, &h), STATUS_SUCCESS);
    EXPECT_EQ(ob::FullName(body), u"\\BaseNamedObjects\\ObRel\\Child");

    PVOID found = nullptr;
    ASSERT_EQ(ob::ReferenceObjectByName(&rel, TestType(), 0, KernelMode, nullptr, &found),
              STATUS_SUCCESS);
    EXPECT_EQ(found, body);
    ob::DereferenceObject(found);
    Name bad(u"\\Child");
    OBJECT_ATTRIBUTES badRel = Attributes(bad, 0, dir);
    EXPECT_EQ(ob::ReferenceObjectByName(&badRel, nullptr, 0, KernelMode, nullptr, &found),
              STATUS_OBJECT_PATH_SYNTAX_BAD);
    std::vector<ob::DirectoryEntry> entries;
    ASSERT_EQ(ob::ListDirectory(u"\\BaseNamedObjects\\ObRel", &entries), STATUS_SUCCESS);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].name, u"Child");
    EXPECT_EQ(entries[0].typeName, u"ObTestType");
    EXPECT_EQ(ob::ListDirectory(u"\\BaseNamedObjects\\NoDir", &entries),
              STATUS_OBJECT_NAME_NOT_FOUND);

    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);
    EXPECT_EQ(ZwClose(dir2), STATUS_SUCCESS);
    EXPECT_EQ(ZwClose(dir), STATUS_SUCCESS);
    EXPECT_EQ(ZwOpenDirectoryObject(&dir, DIRECTORY_QUERY, &oa), STATUS_OBJECT_NAME_NOT_FOUND);
}

TEST(ObNamespace, QueryNameString) {
    HANDLE h = nullptr;
    PVOID body = nullptr;
    ASSERT_EQ(CreateTestObject(u"\\BaseNamedObjects\\ObNamed", 0, &h, &body), STATUS_SUCCESS);
    const ULONG needed = sizeof(OBJECT_NAME_INFORMATION) + sizeof(u"\\BaseNamedObjects\\ObNamed");
    ULONG len = 0;
    EXPECT_EQ(ObQueryNameString(body, nullptr, 0, &len), STATUS_INFO_LENGTH_MISMATCH);
    EXPECT_EQ(len, needed);
    alignas(8) UCHAR buffer[256];
    auto* info = reinterpret_cast<POBJECT_NAME_INFORMATION>(buffer);
    EXPECT_EQ(ObQueryNameString(body, info, needed - 1, &len), STATUS_INFO_LENGTH_MISMATCH);
    EXPECT_EQ(len, needed);
    ASSERT_EQ(ObQueryNameString(body, info, needed, &len), STATUS_SUCCESS);
    EXPECT_EQ(len, needed);
    EXPECT_EQ(Narrow(info->Name), "\\BaseNamedObjects\\ObNamed");
    EXPECT_EQ(info->Name.MaximumLength, info->Name.Length + sizeof(WCHAR));
    EXPECT_EQ(info->Name.Buffer[info->Name.Length / 2], 0);
    EXPECT_EQ(reinterpret_cast<PUCHAR>(info->Name.Buffer),
              buffer + sizeof(OBJECT_NAME_INFORMATION));
    ob::DereferenceObject(body);
    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);

    // Unnamed object: empty name, only the header is needed.
    ASSERT_EQ(CreateTestObject(u"", 0, &h, &body), STATUS_SUCCESS);
    memset(buffer, 0xCC, sizeof(buffer));
    ASSERT_EQ(ObQueryNameString(body, info, sizeof(buffer), &len), STATUS_SUCCESS);
    EXPECT_EQ(len, sizeof(OBJECT_NAME_INFORMATION));
    EXPECT_EQ(info->Name.Length, 0);
    EXPECT_EQ(info->Name.MaximumLength, 0);
    EXPECT_EQ(info->Name.Buffer, nullptr);
    ob::DereferenceObject(body);
    EXPECT_EQ(ZwClose(h), STATUS_SUCCESS);

    // The root directory is "\".
    PVOID root = nullptr;
    ASSERT_EQ(Lookup(u"\\", 0, nullptr, &root), STATUS_SUCCESS);
    ASSERT_EQ(ObQueryNameString(root, info, sizeof(buffer), &len), STATUS_SUCCESS);
    EXPECT_EQ(Narrow(info->Name), "\\");
    ob::DereferenceObject(root);
}
