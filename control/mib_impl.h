/* SPDX-License-Identifier: BSD-3-Clause */
// Between the two halves of the MIB table: mib_smi.c runs libsmi in a child
// process and streams one record per node definition; mib.c decodes the
// records and compiles the table.
//
// A node record (network byte order, wire.h cursors; checked on decode):
//   u8 kind, u8 syntax, u8 smiv2, u8 0,
//   u16 oid_len, u32 oid[oid_len],
//   str module, str name, str type, str hint,   (str: u16 len, bytes)
//   u16 n_enum, n_enum × (i32 value, str label)
#ifndef LINERATE_MIB_IMPL_H
#define LINERATE_MIB_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "mib.h"

#define MIB_STR_MAX  1024 // longest name, type, hint or label in a record
#define MIB_ENUM_MAX 4096 // most named numbers in one enumeration

struct mib_builder;

struct mib_builder *mib_builder_new(void);
void mib_builder_free(struct mib_builder *b);
// Adds one node record; returns 0, -EINVAL (malformed or out of bounds) or
// -ENOMEM.
int mib_builder_add(struct mib_builder *b, const uint8_t *rec, size_t len);
// Compiles what was added (the builder stays valid and unchanged); fills
// diag's nodes, duplicates, enum_lists and bytes. NULL with errno ENOMEM.
struct mib_table *mib_builder_compile(const struct mib_builder *b, struct mib_diag *diag);

#endif
