"""Checks that each given lib<name>.rlib carries its lib<name>.rmeta.

usage: python3 .ci/lib/rlib_rmeta.py RLIB...

rustc puts a crate's metadata into its .rlib as the member lib.rmeta: as
it is (rustc 1.63 for wasm32), or wrapped in an object file whose section
.rmeta holds it (an ELF object on Linux hosts; a wasm object with a custom
section .rmeta for wasm32 from rustc 1.96 on). With pipelined compilation
the .rmeta beside the .rlib comes from another action; a dependent compiled
against it links against the .rlib, and the two must be the same bytes
(else rustc's E0460). Prints one line for a mismatch, and a count.
"""

import struct
import sys


def ar_member(data, name):
    """The bytes of the archive member called name."""
    if not data.startswith(b"!<arch>\n"):
        raise ValueError("not an ar archive")
    pos = 8
    while pos + 60 <= len(data):
        header = data[pos:pos + 60]
        member = header[:16].decode().rstrip().rstrip("/")
        size = int(header[48:58].decode().strip())
        body = data[pos + 60:pos + 60 + size]
        if member == name:
            return body
        pos += 60 + size + (size & 1)
    raise ValueError("no member " + name)


def elf_section(obj, wanted):
    """The contents of section wanted of a little-endian ELF64 object."""
    shoff, = struct.unpack_from("<Q", obj, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", obj, 0x3A)

    def header(i):
        off = shoff + i * shentsize
        name, _, _, _, offset, size = struct.unpack_from("<IIQQQQ", obj, off)
        return name, offset, size

    _, stroff, _ = header(shstrndx)
    for i in range(shnum):
        name, offset, size = header(i)
        end = obj.index(b"\0", stroff + name)
        if obj[stroff + name:end].decode() == wanted:
            return obj[offset:offset + size]
    raise ValueError("no section " + wanted)


def leb128(data, pos):
    value = shift = 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, pos


def wasm_custom_section(obj, wanted):
    """The contents of the custom section wanted of a wasm object."""
    pos = 8
    while pos < len(obj):
        kind = obj[pos]
        size, pos = leb128(obj, pos + 1)
        end = pos + size
        if kind == 0:
            n, p = leb128(obj, pos)
            if obj[p:p + n].decode() == wanted:
                return obj[p + n:end]
        pos = end
    raise ValueError("no custom section " + wanted)


def carried(rlib):
    member = ar_member(open(rlib, "rb").read(), "lib.rmeta")
    if member.startswith(b"\x7fELF"):
        return elf_section(member, ".rmeta")
    if member.startswith(b"\0asm"):
        return wasm_custom_section(member, ".rmeta")
    return member


def main(rlibs):
    checked = bad = 0
    for rlib in rlibs:
        rmeta = rlib[:-len(".rlib")] + ".rmeta"
        try:
            want = open(rmeta, "rb").read()
        except FileNotFoundError:
            continue
        checked += 1
        try:
            got = carried(rlib)
        except (ValueError, IndexError, struct.error) as e:
            print("%s: %s" % (rlib, e))
            bad += 1
            continue
        if got != want:
            print("%s does not carry %s" % (rlib, rmeta))
            bad += 1
    print("%d libraries checked, %d do not carry their .rmeta" % (checked, bad))
    if checked == 0:
        print("no .rlib with its .rmeta beside it")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
