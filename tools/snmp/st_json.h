/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-snmp decode's output: one JSON object per SNMP message, with
// values written as operators read them (see st_varbind_json). Nothing
// secret is ever put in it: no key, no password, no MAC or salt.
#ifndef LINERATE_TOOLS_ST_JSON_H
#define LINERATE_TOOLS_ST_JSON_H

#include <jansson.h>
#include <stdbool.h>

#include <linerate/snmp_msg.h>
#include <linerate/snmp_v3.h>

// Octets as a JSON string: the text when every octet is printable ASCII
// (tab, CR and LF allowed), else "0x" and lower-case hex. For names
// (community, user), where a string is expected.
json_t *st_octets_json(struct snmp_bytes b);

// TimeTicks as net-snmp prints them: "0:02:03.45", "1 day, 0:00:00.00".
void st_timeticks_text(uint32_t ticks, char *out, size_t cap);

// {"oid": "1.3.6.1.2.1.1.3.0", "type": "timeticks", "value": ...}: value an
// integer (INTEGER, Counter32, Gauge32, UInteger32, TimeTicks, with
// "text" beside TimeTicks), a decimal string (Counter64: past 2^53 a JSON
// number loses digits in most readers), dotted text (OID, IpAddress), text
// or hex with "encoding": "hex" (OCTET STRING, Opaque, NsapAddress), or
// null (NULL and the exceptions).
json_t *st_varbind_json(const struct snmp_varbind *v);

// What decode prints for one processed message. usm_name overrides the USM
// outcome's name ("no user file"); NULL: the outcome's own.
struct st_msg_meta {
	long frame;	       // index in the capture, from 0
	const char *timestamp; // capture_time: ISO 8601, UTC
	const char *source, *destination;
	const char *usm_name;
	// a Report or Response our engine (--engine-id) sent: the capture
	// holds both directions, and USM's view of it is the requester's
	bool sent_by_us;
	// > 0: the datagram was reassembled from this many fragments, and
	// frame is the last one's
	unsigned reassembled_from;
};

// The whole object for rx. NULL only when out of memory.
json_t *st_rx_json(const struct snmp_rx *rx, const struct st_msg_meta *meta);

#endif
