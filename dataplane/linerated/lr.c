/* SPDX-License-Identifier: BSD-3-Clause */
// The daemon's shared state (lr.h), apart from main.c so the worker code
// links into benchmarks too.
#include "lr.h"

struct lr_daemon lr;
