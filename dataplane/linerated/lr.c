/* SPDX-License-Identifier: BSD-3-Clause */
// The daemon's shared state (lr.h), apart from main.c so the worker code
// links into benchmarks too.
#include "lr.h"

struct lr_daemon lr;

const uint8_t lr_qtype_map[256] = {
#define LR_QTYPE_MAP(sym, name, type) [type] = LR_QTYPE_##sym,
	LR_QTYPES(LR_QTYPE_MAP)
#undef LR_QTYPE_MAP
};

const char *lr_qtype_name(enum lr_qtype_bucket b)
{
	static const char *const names[LR_QTYPE_COUNT] = {
#define LR_QTYPE_NAME(sym, name, type) [LR_QTYPE_##sym] = name,
		LR_QTYPES(LR_QTYPE_NAME)
#undef LR_QTYPE_NAME
	};
	return (unsigned)b < LR_QTYPE_COUNT ? names[b] : "?";
}
