// The MS CRT's bounded string copies (strcpy_s/wcscpy_s families), one template per routine for
// both character widths. Error rules (from the MS CRT documentation; the invalid-parameter
// handler is not invoked):
//   dest NULL or size 0                      -> EINVAL, dest untouched
//   src NULL                                 -> EINVAL, dest[0] = 0
//   dest not terminated within size (cat)    -> EINVAL, dest[0] = 0
//   result does not fit                      -> ERANGE, dest[0] = 0
//   count == _TRUNCATE and it does not fit   -> as much as fits, terminated, STRUNCATE
#pragma once

#include <km/crt.h>

namespace ntsim::rtl {

template <typename Ch> size_t BoundedLength(const Ch* s, size_t max) {
    size_t n = 0;
    while (n < max && s[n] != 0)
        ++n;
    return n;
}

template <typename Ch> errno_t CopyS(Ch* dest, rsize_t size, const Ch* src) {
    if (dest == nullptr || size == 0) return EINVAL;
    if (src == nullptr) {
        dest[0] = 0;
        return EINVAL;
    }
    size_t n = BoundedLength(src, size);
    if (n >= size) {
        dest[0] = 0;
        return ERANGE;
    }
    for (size_t i = 0; i < n; ++i)
        dest[i] = src[i];
    dest[n] = 0;
    return 0;
}

template <typename Ch> errno_t CopyNS(Ch* dest, rsize_t size, const Ch* src, rsize_t count) {
    if (count == 0 && dest == nullptr && size == 0) return 0; // documented special case
    if (dest == nullptr || size == 0) return EINVAL;
    if (count == 0) {
        dest[0] = 0;
        return 0;
    }
    if (src == nullptr) {
        dest[0] = 0;
        return EINVAL;
    }
    bool truncate = count == _TRUNCATE;
    size_t n = BoundedLength(src, truncate ? size : count);
    if (n >= size) {
        if (!truncate) {
            dest[0] = 0;
            return ERANGE;
        }
        n = size - 1;
        for (size_t i = 0; i < n; ++i)
            dest[i] = src[i];
        dest[n] = 0;
        return STRUNCATE;
    }
    for (size_t i = 0; i < n; ++i)
        dest[i] = src[i];
    dest[n] = 0;
    return 0;
}

template <typename Ch> errno_t CatS(Ch* dest, rsize_t size, const Ch* src) {
    if (dest == nullptr || size == 0) return EINVAL;
    if (src == nullptr) {
        dest[0] = 0;
        return EINVAL;
    }
    size_t used = BoundedLength(dest, size);
    if (used == size) { // no terminator inside the buffer
        dest[0] = 0;
        return EINVAL;
    }
    size_t n = BoundedLength(src, size - used);
    if (used + n >= size) {
        dest[0] = 0;
        return ERANGE;
    }
    for (size_t i = 0; i < n; ++i)
        dest[used + i] = src[i];
    dest[used + n] = 0;
    return 0;
}

template <typename Ch> errno_t CatNS(Ch* dest, rsize_t size, const Ch* src, rsize_t count) {
    if (count == 0 && dest == nullptr && size == 0) return 0;
    if (dest == nullptr || size == 0) return EINVAL;
    if (src == nullptr && count != 0) {
        dest[0] = 0;
        return EINVAL;
    }
    size_t used = BoundedLength(dest, size);
    if (used == size) {
        dest[0] = 0;
        return EINVAL;
    }
    if (count == 0) return 0;
    bool truncate = count == _TRUNCATE;
    size_t room = size - used; // including the terminator
    size_t n = BoundedLength(src, truncate ? room : count);
    if (n >= room) {
        if (!truncate) {
            dest[0] = 0;
            return ERANGE;
        }
        n = room - 1;
        for (size_t i = 0; i < n; ++i)
            dest[used + i] = src[i];
        dest[used + n] = 0;
        return STRUNCATE;
    }
    for (size_t i = 0; i < n; ++i)
        dest[used + i] = src[i];
    dest[used + n] = 0;
    return 0;
}

} // namespace ntsim::rtl
