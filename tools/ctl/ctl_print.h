/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-ctl's human output: any reply, printed as aligned key/value
// lines, nested sections indented, and lists of objects as tables. Generic,
// so that commands the daemon adds print without changes here.
#ifndef LINERATE_CTL_PRINT_H
#define LINERATE_CTL_PRINT_H

#include <jansson.h>
#include <stdio.h>

// Print every member of reply except the envelope (v, ok, id).
void ctl_print_reply(FILE *out, const json_t *reply);

#endif
