// The hive: keys and values in one SQLite database (ROOT/registry.db, or in memory).
//
// Every operation is one transaction and the database runs in WAL mode with synchronous=FULL,
// so a kernel that dies mid-operation leaves either the old or the new state, never a torn one.
// Names are stored as UTF-16 blobs twice: as given (case preserved) and upcased (lookups,
// uniqueness), because NT compares key and value names case-insensitively.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>

#include "cm/cm_private.h"
#include "dbg/dbg.h"
#include "ntstatus.h"
#include "ob/ob.h"

namespace ntsim::cm {
namespace {

std::recursive_mutex g_lock;
sqlite3* g_db = nullptr;
KeyId g_root = 0;

const char* kSchema =
    "CREATE TABLE IF NOT EXISTS keys(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " parent INTEGER NOT NULL, name BLOB NOT NULL, uname BLOB NOT NULL, class BLOB NOT NULL,"
    " last_write INTEGER NOT NULL, volatile INTEGER NOT NULL DEFAULT 0, UNIQUE(parent, uname));"
    "CREATE TABLE IF NOT EXISTS vals(key INTEGER NOT NULL, name BLOB NOT NULL,"
    " uname BLOB NOT NULL, type INTEGER NOT NULL, data BLOB NOT NULL, UNIQUE(key, uname));";

// One prepared statement, finalized on scope exit.
class Stmt {
public:
    explicit Stmt(const char* sql) {
        if (sqlite3_prepare_v2(g_db, sql, -1, &s_, nullptr) != SQLITE_OK) s_ = nullptr;
    }
    ~Stmt() { sqlite3_finalize(s_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;
    bool ok() const { return s_ != nullptr; }
    Stmt& bind(int i, int64_t v) {
        sqlite3_bind_int64(s_, i, v);
        return *this;
    }
    Stmt& bind(int i, const void* p, size_t n) {
        static const char empty = 0; // a zero-length blob, not NULL
        sqlite3_bind_blob(s_, i, n ? p : &empty, int(n), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind(int i, const std::u16string& s) { return bind(i, s.data(), s.size() * 2); }
    int step() { return sqlite3_step(s_); }
    int64_t i64(int c) { return sqlite3_column_int64(s_, c); }
    std::u16string str(int c) {
        auto* p = static_cast<const char*>(sqlite3_column_blob(s_, c));
        size_t n = size_t(sqlite3_column_bytes(s_, c)) / 2;
        std::u16string r(n, u'\0');
        if (n) std::memcpy(r.data(), p, n * 2);
        return r;
    }
    std::vector<uint8_t> blob(int c) {
        auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(s_, c));
        return std::vector<uint8_t>(p, p + sqlite3_column_bytes(s_, c));
    }

private:
    sqlite3_stmt* s_ = nullptr;
};

bool Exec(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(g_db, sql, nullptr, nullptr, &error) == SQLITE_OK) return true;
    dbg::LogKernelMessage(dbg::Severity::Error, "registry: %s failed: %s", sql,
                          error ? error : "?");
    sqlite3_free(error);
    return false;
}

// BEGIN IMMEDIATE ... COMMIT around a multi-statement operation (rolled back if not committed).
class Transaction {
public:
    Transaction() { active_ = Exec("BEGIN IMMEDIATE"); }
    ~Transaction() {
        if (active_) Exec("ROLLBACK");
    }
    bool Commit() {
        if (!active_) return false;
        active_ = false;
        return Exec("COMMIT");
    }

private:
    bool active_ = false;
};

std::vector<std::u16string> SplitPath(const std::u16string& path, bool* valid) {
    std::vector<std::u16string> parts;
    *valid = true;
    size_t i = 0;
    if (!path.empty() && path[0] == u'\\') i = 1;
    while (i <= path.size()) {
        size_t j = path.find(u'\\', i);
        if (j == std::u16string::npos) j = path.size();
        std::u16string part = path.substr(i, j - i);
        if (part.empty()) {
            // A single trailing backslash is tolerated; an empty inner component is not.
            if (j != path.size()) *valid = false;
        } else {
            parts.push_back(part);
        }
        i = j + 1;
    }
    return parts;
}

std::optional<KeyId> ChildOf(KeyId parent, const std::u16string& name) {
    Stmt q("SELECT id FROM keys WHERE parent=? AND uname=?");
    q.bind(1, parent).bind(2, ob::Upcase(name));
    if (q.step() == SQLITE_ROW) return q.i64(0);
    return std::nullopt;
}

KeyId InsertKey(KeyId parent, const std::u16string& name, const std::u16string& keyClass,
                bool isVolatile = false) {
    Stmt q("INSERT INTO keys(parent, name, uname, class, last_write, volatile) "
           "VALUES(?,?,?,?,?,?)");
    q.bind(1, parent).bind(2, name).bind(3, ob::Upcase(name)).bind(4, keyClass).bind(5, Now());
    q.bind(6, isVolatile ? 1 : 0);
    if (q.step() != SQLITE_DONE) return 0;
    return sqlite3_last_insert_rowid(g_db);
}

bool IsVolatile(KeyId id) {
    Stmt q("SELECT volatile FROM keys WHERE id=?");
    q.bind(1, id);
    return q.step() == SQLITE_ROW && q.i64(0) != 0;
}

void Touch(KeyId id) {
    Stmt q("UPDATE keys SET last_write=? WHERE id=?");
    q.bind(1, Now()).bind(2, id).step();
}

// Walks the components of an absolute path (the first must be REGISTRY) or a relative one.
NTSTATUS Resolve(const std::vector<std::u16string>& parts, size_t count, bool absolute, KeyId base,
                 KeyId* id) {
    size_t i = 0;
    KeyId cur = base;
    if (absolute) {
        if (parts.empty() || ob::Upcase(parts[0]) != u"REGISTRY")
            return STATUS_OBJECT_PATH_SYNTAX_BAD;
        cur = g_root;
        i = 1;
    } else if (!GetKey(base)) {
        return STATUS_KEY_DELETED;
    }
    for (; i < count; ++i) {
        auto child = ChildOf(cur, parts[i]);
        if (!child) return STATUS_OBJECT_NAME_NOT_FOUND;
        cur = *child;
    }
    *id = cur;
    return STATUS_SUCCESS;
}

// Creates a key and its missing parents (the internal CreateKey and the boot layout).
NTSTATUS CreatePath(const std::u16string& path) {
    bool valid;
    auto parts = SplitPath(path, &valid);
    if (!valid) return STATUS_OBJECT_NAME_INVALID;
    if (parts.empty() || ob::Upcase(parts[0]) != u"REGISTRY") return STATUS_OBJECT_PATH_SYNTAX_BAD;
    Transaction t;
    KeyId cur = g_root;
    for (size_t i = 1; i < parts.size(); ++i) {
        auto child = ChildOf(cur, parts[i]);
        cur = child ? *child : InsertKey(cur, parts[i], u"");
        if (!cur) return STATUS_REGISTRY_IO_FAILED;
    }
    return t.Commit() ? STATUS_SUCCESS : STATUS_REGISTRY_IO_FAILED;
}

// The predefined layout every hive has. CurrentControlSet is a plain key (no ControlSet001 and
// no symbolic link): one control set is all ntsim ever has.
void CreateDefaultLayout() {
    const char16_t* keys[] = {
        // The first creation fixes a name's case: NT's own keys are upper case.
        u"\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services",
        u"\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Control",
        u"\\REGISTRY\\MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion",
        u"\\REGISTRY\\MACHINE\\HARDWARE\\DEVICEMAP",
        u"\\REGISTRY\\USER",
    };
    for (auto* k : keys)
        CreatePath(k);
    // A fresh hive gets the book's Debug Print Filter setting: DEFAULT = 8 (DbgPrint shows).
    if (!KeyExists(kDebugPrintFilterPath)) {
        CreatePath(kDebugPrintFilterPath);
        ULONG eight = 8;
        Value v{u"DEFAULT", REG_DWORD, {}};
        v.data.resize(4);
        std::memcpy(v.data.data(), &eight, 4);
        SetValue(kDebugPrintFilterPath, v);
    }
}

} // namespace

int64_t Now() {
    using namespace std::chrono;
    auto ns = duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
    return ns / 100 + 116444736000000000LL;
}

NTSTATUS Initialize(const std::string& hivePath) {
    std::lock_guard guard(g_lock);
    if (g_db) return STATUS_SUCCESS;
    std::string file = hivePath.empty() ? ":memory:" : hivePath;
    if (sqlite3_open_v2(file.c_str(), &g_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK) {
        dbg::LogKernelMessage(dbg::Severity::Error, "registry: cannot open hive %s: %s",
                              file.c_str(), g_db ? sqlite3_errmsg(g_db) : "?");
        sqlite3_close(g_db);
        g_db = nullptr;
        return STATUS_REGISTRY_IO_FAILED;
    }
    sqlite3_busy_timeout(g_db, 5000);
    if (!hivePath.empty()) {
        Exec("PRAGMA journal_mode=WAL");
        Exec("PRAGMA synchronous=FULL");
    }
    if (!Exec(kSchema)) {
        sqlite3_close(g_db);
        g_db = nullptr;
        return STATUS_REGISTRY_IO_FAILED;
    }
    // Volatile keys live until the kernel stops: a new boot starts without them.
    Exec("DELETE FROM keys WHERE volatile=1;"
         "DELETE FROM vals WHERE key NOT IN (SELECT id FROM keys)");
    auto root = ChildOf(0, u"REGISTRY");
    g_root = root ? *root : InsertKey(0, u"REGISTRY", u"");
    CreateDefaultLayout();
    ApplyDebugPrintFilter();
    return STATUS_SUCCESS;
}

void Shutdown() {
    std::lock_guard guard(g_lock);
    if (!g_db) return;
    sqlite3_close_v2(g_db);
    g_db = nullptr;
    g_root = 0;
}

KeyId RootKey() {
    return g_root;
}

NTSTATUS LookupKey(const std::u16string& path, KeyId base, KeyId* id) {
    std::lock_guard guard(g_lock);
    if (!g_db) return STATUS_OBJECT_NAME_NOT_FOUND;
    bool valid;
    auto parts = SplitPath(path, &valid);
    if (!valid) return STATUS_OBJECT_NAME_INVALID;
    bool absolute = !path.empty() && path[0] == u'\\';
    if (!absolute && !base) return STATUS_OBJECT_PATH_SYNTAX_BAD;
    return Resolve(parts, parts.size(), absolute, base, id);
}

NTSTATUS CreateKeyAt(const std::u16string& path, KeyId base, const std::u16string& keyClass,
                     bool isVolatile, KeyId* id, bool* created) {
    std::lock_guard guard(g_lock);
    if (!g_db) return STATUS_OBJECT_NAME_NOT_FOUND;
    bool valid;
    auto parts = SplitPath(path, &valid);
    if (!valid) return STATUS_OBJECT_NAME_INVALID;
    bool absolute = !path.empty() && path[0] == u'\\';
    if (!absolute && !base) return STATUS_OBJECT_PATH_SYNTAX_BAD;
    if (parts.empty() || (absolute && parts.size() == 1)) {
        *created = false;
        return Resolve(parts, parts.size(), absolute, base, id);
    }
    for (auto& p : parts)
        if (p.size() > 255) return STATUS_INVALID_PARAMETER; // NT's key name limit
    KeyId parent;
    NTSTATUS status = Resolve(parts, parts.size() - 1, absolute, base, &parent);
    if (!NT_SUCCESS(status)) return status;
    if (auto existing = ChildOf(parent, parts.back())) {
        *id = *existing;
        *created = false;
        return STATUS_SUCCESS;
    }
    if (!isVolatile && IsVolatile(parent)) return STATUS_CHILD_MUST_BE_VOLATILE;
    Transaction t;
    KeyId key = InsertKey(parent, parts.back(), keyClass, isVolatile);
    if (!key) return STATUS_REGISTRY_IO_FAILED;
    Touch(parent);
    if (!t.Commit()) return STATUS_REGISTRY_IO_FAILED;
    *id = key;
    *created = true;
    return STATUS_SUCCESS;
}

std::optional<KeyRecord> GetKey(KeyId id) {
    std::lock_guard guard(g_lock);
    if (!g_db) return std::nullopt;
    Stmt q("SELECT parent, name, class, last_write FROM keys WHERE id=?");
    q.bind(1, id);
    if (q.step() != SQLITE_ROW) return std::nullopt;
    return KeyRecord{id, q.i64(0), q.str(1), q.str(2), q.i64(3)};
}

std::u16string KeyPath(KeyId id) {
    std::lock_guard guard(g_lock);
    std::u16string path;
    for (auto k = GetKey(id); k; k = k->parent ? GetKey(k->parent) : std::nullopt)
        path = u"\\" + k->name + path;
    return path;
}

std::vector<KeyRecord> Subkeys(KeyId id) {
    std::lock_guard guard(g_lock);
    std::vector<std::pair<std::u16string, KeyRecord>> sorted;
    if (!g_db) return {};
    Stmt q("SELECT id, name, class, last_write, uname FROM keys WHERE parent=?");
    q.bind(1, id);
    while (q.step() == SQLITE_ROW)
        sorted.push_back({q.str(4), KeyRecord{q.i64(0), id, q.str(1), q.str(2), q.i64(3)}});
    std::sort(sorted.begin(), sorted.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<KeyRecord> result;
    for (auto& s : sorted)
        result.push_back(std::move(s.second));
    return result;
}

std::vector<Value> Values(KeyId id) {
    std::lock_guard guard(g_lock);
    std::vector<Value> result;
    if (!g_db) return result;
    Stmt q("SELECT name, type, data FROM vals WHERE key=? ORDER BY rowid");
    q.bind(1, id);
    while (q.step() == SQLITE_ROW)
        result.push_back(Value{q.str(0), ULONG(q.i64(1)), q.blob(2)});
    return result;
}

std::optional<Value> GetValue(KeyId id, const std::u16string& name) {
    std::lock_guard guard(g_lock);
    if (!g_db) return std::nullopt;
    Stmt q("SELECT name, type, data FROM vals WHERE key=? AND uname=?");
    q.bind(1, id).bind(2, ob::Upcase(name));
    if (q.step() != SQLITE_ROW) return std::nullopt;
    return Value{q.str(0), ULONG(q.i64(1)), q.blob(2)};
}

NTSTATUS PutValue(KeyId id, const Value& value) {
    {
        std::lock_guard guard(g_lock);
        if (!GetKey(id)) return STATUS_KEY_DELETED;
        Transaction t;
        // An existing value keeps its place in the enumeration order (and its name's case).
        Stmt u("UPDATE vals SET type=?, data=? WHERE key=? AND uname=?");
        u.bind(1, value.type).bind(2, value.data.data(), value.data.size()).bind(3, id);
        u.bind(4, ob::Upcase(value.name));
        if (u.step() != SQLITE_DONE) return STATUS_REGISTRY_IO_FAILED;
        if (sqlite3_changes(g_db) == 0) {
            Stmt i("INSERT INTO vals(key, name, uname, type, data) VALUES(?,?,?,?,?)");
            i.bind(1, id).bind(2, value.name).bind(3, ob::Upcase(value.name)).bind(4, value.type);
            i.bind(5, value.data.data(), value.data.size());
            if (i.step() != SQLITE_DONE) return STATUS_REGISTRY_IO_FAILED;
        }
        Touch(id);
        if (!t.Commit()) return STATUS_REGISTRY_IO_FAILED;
    }
    OnValuesChanged(id);
    return STATUS_SUCCESS;
}

NTSTATUS RemoveValue(KeyId id, const std::u16string& name) {
    {
        std::lock_guard guard(g_lock);
        if (!GetKey(id)) return STATUS_KEY_DELETED;
        Transaction t;
        Stmt d("DELETE FROM vals WHERE key=? AND uname=?");
        d.bind(1, id).bind(2, ob::Upcase(name));
        if (d.step() != SQLITE_DONE) return STATUS_REGISTRY_IO_FAILED;
        if (sqlite3_changes(g_db) == 0) return STATUS_OBJECT_NAME_NOT_FOUND;
        Touch(id);
        if (!t.Commit()) return STATUS_REGISTRY_IO_FAILED;
    }
    OnValuesChanged(id);
    return STATUS_SUCCESS;
}

NTSTATUS RemoveKey(KeyId id) {
    std::lock_guard guard(g_lock);
    auto key = GetKey(id);
    if (!key) return STATUS_KEY_DELETED;
    if (id == g_root) return STATUS_CANNOT_DELETE;
    {
        Stmt q("SELECT 1 FROM keys WHERE parent=? LIMIT 1");
        q.bind(1, id);
        if (q.step() == SQLITE_ROW) return STATUS_CANNOT_DELETE;
    }
    Transaction t;
    Stmt dv("DELETE FROM vals WHERE key=?");
    dv.bind(1, id);
    Stmt dk("DELETE FROM keys WHERE id=?");
    dk.bind(1, id);
    if (dv.step() != SQLITE_DONE || dk.step() != SQLITE_DONE) return STATUS_REGISTRY_IO_FAILED;
    Touch(key->parent);
    return t.Commit() ? STATUS_SUCCESS : STATUS_REGISTRY_IO_FAILED;
}

NTSTATUS Flush() {
    std::lock_guard guard(g_lock);
    if (!g_db) return STATUS_REGISTRY_IO_FAILED;
    // Every operation is already durable (synchronous=FULL); a checkpoint folds the WAL into
    // the main file as well.
    sqlite3_wal_checkpoint_v2(g_db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return STATUS_SUCCESS;
}

// ---- the path-based contract (cm.h) ----------------------------------------------------------

NTSTATUS CreateKey(const std::u16string& path) {
    std::lock_guard guard(g_lock);
    if (!g_db) return STATUS_OBJECT_NAME_NOT_FOUND;
    return CreatePath(path);
}

bool KeyExists(const std::u16string& path) {
    KeyId id;
    return NT_SUCCESS(LookupKey(path, 0, &id));
}

NTSTATUS DeleteKey(const std::u16string& path) {
    KeyId id;
    NTSTATUS status = LookupKey(path, 0, &id);
    return NT_SUCCESS(status) ? RemoveKey(id) : status;
}

NTSTATUS DeleteKeyTree(const std::u16string& path) {
    KeyId id;
    NTSTATUS status = LookupKey(path, 0, &id);
    if (!NT_SUCCESS(status)) return status;
    std::lock_guard guard(g_lock);
    for (auto& sub : Subkeys(id)) {
        status = DeleteKeyTree(path + u"\\" + sub.name);
        if (!NT_SUCCESS(status)) return status;
    }
    return RemoveKey(id);
}

NTSTATUS SetValue(const std::u16string& keyPath, const Value& value) {
    KeyId id;
    NTSTATUS status = LookupKey(keyPath, 0, &id);
    return NT_SUCCESS(status) ? PutValue(id, value) : status;
}

std::optional<Value> QueryValue(const std::u16string& keyPath, const std::u16string& name) {
    KeyId id;
    if (!NT_SUCCESS(LookupKey(keyPath, 0, &id))) return std::nullopt;
    return GetValue(id, name);
}

NTSTATUS DeleteValue(const std::u16string& keyPath, const std::u16string& name) {
    KeyId id;
    NTSTATUS status = LookupKey(keyPath, 0, &id);
    return NT_SUCCESS(status) ? RemoveValue(id, name) : status;
}

std::vector<std::u16string> EnumerateSubkeys(const std::u16string& path) {
    KeyId id;
    std::vector<std::u16string> names;
    if (!NT_SUCCESS(LookupKey(path, 0, &id))) return names;
    for (auto& k : Subkeys(id))
        names.push_back(k.name);
    return names;
}

std::vector<Value> EnumerateValues(const std::u16string& path) {
    KeyId id;
    if (!NT_SUCCESS(LookupKey(path, 0, &id))) return {};
    return Values(id);
}

std::optional<ULONG> QueryDword(const std::u16string& keyPath, const std::u16string& name) {
    auto v = QueryValue(keyPath, name);
    if (!v || v->type != REG_DWORD || v->data.size() < 4) return std::nullopt;
    ULONG d;
    std::memcpy(&d, v->data.data(), 4);
    return d;
}

std::optional<std::u16string> QueryString(const std::u16string& keyPath,
                                          const std::u16string& name) {
    auto v = QueryValue(keyPath, name);
    if (!v || (v->type != REG_SZ && v->type != REG_EXPAND_SZ)) return std::nullopt;
    std::u16string s(v->data.size() / 2, u'\0');
    if (!s.empty()) std::memcpy(s.data(), v->data.data(), s.size() * 2);
    while (!s.empty() && s.back() == u'\0')
        s.pop_back();
    return s;
}

} // namespace ntsim::cm
