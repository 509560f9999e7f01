/* SPDX-License-Identifier: BSD-3-Clause */
#include "ctl_print.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define COLS_MAX 24

static void print_scalar(FILE *out, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		fputs(json_string_value(v), out);
		break;
	case JSON_INTEGER:
		fprintf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL:
		fprintf(out, "%g", json_real_value(v));
		break;
	case JSON_TRUE:
		fputs("yes", out);
		break;
	case JSON_FALSE:
		fputs("no", out);
		break;
	case JSON_NULL:
		fputs("-", out);
		break;
	default: {
		char *s = json_dumps(v, JSON_COMPACT);
		fputs(s ? s : "?", out);
		free(s);
	}
	}
}

static int scalar_width(const json_t *v)
{
	char buf[64];
	switch (json_typeof(v)) {
	case JSON_STRING:
		return (int)strlen(json_string_value(v));
	case JSON_INTEGER:
		return snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	case JSON_REAL:
		return snprintf(buf, sizeof(buf), "%g", json_real_value(v));
	case JSON_NULL:
		return 1;
	case JSON_TRUE:
		return 3;
	case JSON_FALSE:
		return 2;
	default: {
		char *s = json_dumps(v, JSON_COMPACT);
		int w = s ? (int)strlen(s) : 1;
		free(s);
		return w;
	}
	}
}

// A list of objects as a table, columns from the first object's keys.
static void print_table(FILE *out, const json_t *arr, int indent)
{
	const char *cols[COLS_MAX];
	int width[COLS_MAX], ncols = 0;
	const char *key;
	const json_t *v;
	size_t i;
	const json_t *row;
	json_object_foreach((json_t *)json_array_get(arr, 0), key, v)
	{
		if (ncols == COLS_MAX)
			break;
		cols[ncols] = key;
		width[ncols++] = (int)strlen(key);
	}
	json_array_foreach(arr, i, row)
	{
		for (int c = 0; c < ncols; c++) {
			const json_t *cell = json_object_get(row, cols[c]);
			int w = cell ? scalar_width(cell) : 1;
			if (w > width[c])
				width[c] = w;
		}
	}
	fprintf(out, "%*s", indent, "");
	for (int c = 0; c < ncols; c++)
		if (c + 1 < ncols)
			fprintf(out, "%-*s  ", width[c], cols[c]);
		else
			fprintf(out, "%s\n", cols[c]);
	json_array_foreach(arr, i, row)
	{
		fprintf(out, "%*s", indent, "");
		for (int c = 0; c < ncols; c++) {
			const json_t *cell = json_object_get(row, cols[c]);
			int w = cell ? scalar_width(cell) : 1;
			if (cell)
				print_scalar(out, cell);
			else
				fputs("-", out);
			if (c + 1 < ncols)
				fprintf(out, "%*s", width[c] - w + 2, "");
		}
		fputc('\n', out);
	}
}

static void print_object(FILE *out, const json_t *obj, int indent, bool envelope)
{
	const char *key;
	const json_t *v;
	int kw = 0;
	json_object_foreach((json_t *)obj, key, v)
	{
		if ((int)strlen(key) > kw)
			kw = (int)strlen(key);
	}
	json_object_foreach((json_t *)obj, key, v)
	{
		if (envelope && (!strcmp(key, "v") || !strcmp(key, "ok") || !strcmp(key, "id")))
			continue;
		if (json_is_object(v)) {
			fprintf(out, "%*s%s:\n", indent, "", key);
			print_object(out, v, indent + 2, false);
		} else if (json_is_array(v) && json_array_size(v) &&
			   json_is_object(json_array_get(v, 0))) {
			fprintf(out, "%*s%s:\n", indent, "", key);
			print_table(out, v, indent + 2);
		} else {
			fprintf(out, "%*s%-*s  ", indent, "", kw, key);
			print_scalar(out, v);
			fputc('\n', out);
		}
	}
}

void ctl_print_reply(FILE *out, const json_t *reply)
{
	print_object(out, reply, 0, true);
}
