/* SPDX-License-Identifier: BSD-3-Clause */
// The SNMP engine's persistent state (RFC 3414 §2.2): our snmpEngineID and
// snmpEngineBoots, kept in a small text file so that boots grows at every
// start and a restarted collector never accepts a message replayed from
// before it (timeliness compares boots first).
//
// The file, written whole (temporary file, fsync, rename, directory fsync)
// and mode 0600:
//
//     # linerated SNMP engine state: do not edit while it runs
//     engine_id 80007e9905...
//     boots 7
//
// At start, ctl_snmp_state_start() reads it, adds one to boots and writes
// it back before any message is answered. The engine ID is the configured
// one when given (a change of engine ID starts boots again at 1, as a new
// engine), else the stored one, else a new random one (RFC 3411 §5 format
// 5, administratively assigned octets, under enterprise 32473, the number
// RFC 5612 sets aside for documentation: configure your own
// snmp.engine_id to carry your enterprise number). A file that cannot be
// read as this form is an error, never a silent reset: a reset boots would
// let old messages in again. At 2147483647, boots stays there (§2.2.2) and
// the start says so: the engine then needs a new engine ID.
#ifndef LINERATE_CTL_SNMP_STATE_H
#define LINERATE_CTL_SNMP_STATE_H

#include <stddef.h>
#include <stdint.h>

#define CTL_SNMP_BOOTS_MAX 2147483647u
#define CTL_SNMP_ENGINE_MAX 32

struct ctl_snmp_state {
	uint8_t engine_id[CTL_SNMP_ENGINE_MAX];
	size_t engine_len;
	uint32_t boots;	    // this start's, already written to the file
	int generated;	    // the engine ID was made now (no file, none configured)
	int boots_latched;  // boots is at CTL_SNMP_BOOTS_MAX
};

// Read (or create) the state file at path, bump boots and write it back.
// cfg_engine/cfg_len: the configured engine ID (cfg_len 0: none). Returns 0
// and fills *st, or a negative errno with a message in err (the path, the
// line and what is wrong).
int ctl_snmp_state_start(const char *path, const uint8_t *cfg_engine, size_t cfg_len,
			 struct ctl_snmp_state *st, char *err, size_t errlen);

#endif
