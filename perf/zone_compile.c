/* SPDX-License-Identifier: BSD-3-Clause */
// zone-compile: how fast a loaded zone compiles into the image workers
// read, and how big the image is. A synthetic zone of about a million
// records (perf/zone_gen.h) is read from text, then compiled several
// times; the figure is records compiled per second on one core (issue #3
// target: ≥ 1 M/s). Reading the master file is timed and printed apart.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include <linerate/dns_image.h>
#include <linerate/dns_name.h>
#include <linerate/dns_types.h>
#include <linerate/dns_zone_set.h>

#include "zone_gen.h"

#define NHOSTS 450000
#define ROUNDS 3

int main(void)
{
	size_t nrec;
	char *text = zone_gen(NHOSTS, &nrec);
	uint8_t apex[DNS_NAME_MAXLEN];
	if (!text || dns_name_from_text("example.com.", 12, NULL, apex) < 0)
		return 1;
	struct dns_zone *z = dns_zone_new(apex, DNS_CLASS_IN);
	struct dns_zone_diag d;
	double t0 = now();
	if (!z || dns_zone_load_text(z, "bench.zone", text, strlen(text), 3600, NULL, NULL, &d) < 0) {
		fprintf(stderr, "zone-compile: load failed: %u:%u %s\n", d.line, d.col, d.msg);
		return 1;
	}
	double load = now() - t0;
	size_t records = dns_zone_record_count(z);
	printf("zone-compile: read %zu records from %zu octets of text in %.2f s: %.2f M records/s\n",
	       records, strlen(text), load, (double)records / load / 1e6);

	double best = 1e9;
	size_t size = 0;
	for (int r = 0; r < ROUNDS; r++) {
		t0 = now();
		void *img = dns_image_compile(&z, 1, &size);
		double dt = now() - t0;
		if (!img) {
			perror("zone-compile: compile");
			return 1;
		}
		if (dt < best)
			best = dt;
		if (r == ROUNDS - 1 && dns_image_check(img, size) != 0) {
			fprintf(stderr, "zone-compile: image does not check\n");
			return 1;
		}
		free(img);
	}
	printf("zone-compile: image %zu octets for %zu records: %.1f octets/record "
	       "(text: %.1f octets/record)\n",
	       size, records, (double)size / (double)records, (double)strlen(text) / (double)records);
	printf("zone-compile: compiled in %.3f s (best of %d)\n", best, ROUNDS);
	printf("zone-compile: %.2f M records/s\n", (double)records / best / 1e6);
	dns_zone_free(z);
	free(text);
	return 0;
}
