/* SPDX-License-Identifier: BSD-3-Clause */
// linerate-ctl's `usm` words → control socket requests (issue #7):
//
//   usm user add NAME [--engine HEX] [--auth PROTO] [--auth-password PW |
//                --auth-key HEX] [--priv PROTO] [--priv-password PW |
//                --priv-key HEX] [--compat MODE]
//   usm user add --file USERS.yaml [--batch N]   (users-file format; sent N
//                                                a request, default 50)
//   usm user remove NAME [--engine HEX]
//   usm user list
//   usm engine add HEX [--boots N] [--time N] | usm engine remove HEX |
//   usm engine list
//   usm cache show | usm cache clear
//   usm hash
//   usm reload                                  (the users file again)
//
// The users file is checked here with the daemon's own loader (passwords
// kept, nothing hashed: the daemon's pool hashes); a bad file is refused
// before anything is sent.
#ifndef LINERATE_CTL_USM_ARGS_H
#define LINERATE_CTL_USM_ARGS_H

#include <jansson.h>
#include <stddef.h>

// The requests for argv (argv[0] is "usm"): *n of them in *reqs (free with
// ctl_usm_requests_free). 0, or -1 with a message in err (bad usage).
int ctl_usm_requests(int argc, char **argv, json_t ***reqs, size_t *n, char *err, size_t errlen);
void ctl_usm_requests_free(json_t **reqs, size_t n);

#endif
