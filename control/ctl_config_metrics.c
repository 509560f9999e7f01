/* SPDX-License-Identifier: BSD-3-Clause */
// metrics: the Prometheus endpoint (control/metrics.h). Absent: none.
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_config_walk.h"
#include "metrics.h"

#define LISTEN_MAX     64 // "[" 45-octet IPv6 text "]:65535"
#define CLIENTS_MAX    1024
#define TIMEOUT_MS_MIN 100
#define TIMEOUT_MS_MAX 600000

static int h_listen(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	struct sockaddr_storage ss;
	socklen_t len;
	if (ctl_cfg_string(w, path, n, LISTEN_MAX, &c->metrics.listen))
		return -EINVAL;
	if (ctl_metrics_parse_listen(c->metrics.listen, &ss, &len))
		return ctl_cfg_fail(w, path, n, false,
				    "must be ADDRESS:PORT with a numeric address: "
				    "127.0.0.1:9253, [::1]:9253, *:9253");
	// port 0 would be some free port nobody could scrape without asking
	if ((ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
				     : ((struct sockaddr_in6 *)&ss)->sin6_port) == 0)
		return ctl_cfg_fail(w, path, n, false, "the port must be 1..65535");
	return 0;
}

static int h_path(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	if (ctl_cfg_string(w, path, n, 255, &c->metrics.path))
		return -EINVAL;
	if (!ctl_metrics_path_ok(c->metrics.path))
		return ctl_cfg_fail(w, path, n, false,
				    "must start with / and hold no space, control character, "
				    "'?' or '#'");
	return 0;
}

static int h_max_clients(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	unsigned long v;
	if (ctl_cfg_uint(w, path, n, 1, CLIENTS_MAX, &v))
		return -EINVAL;
	c->metrics.max_clients = (unsigned)v;
	return 0;
}

static int h_timeout(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	struct ctl_config *c = obj;
	unsigned long v;
	if (ctl_cfg_uint(w, path, n, TIMEOUT_MS_MIN, TIMEOUT_MS_MAX, &v))
		return -EINVAL;
	c->metrics.timeout_ms = (unsigned)v;
	return 0;
}

int ctl_cfg_metrics(struct ctl_cfg_walk *w, const char *path, yaml_node_t *n, void *obj)
{
	static const struct ctl_cfg_key keys[] = {
		{"listen", h_listen},
		{"path", h_path},
		{"max_clients", h_max_clients},
		{"timeout_ms", h_timeout},
	};
	struct ctl_config *c = obj;
	uint64_t seen;
	if (WALK_MAPPING(w, path, n, keys, obj, &seen))
		return -EINVAL;
	if (!(seen & 1))
		return ctl_cfg_fail(w, path, n, false, "missing key: listen");
	if (!c->metrics.path && !(c->metrics.path = strdup(CTL_METRICS_PATH_DEFAULT)))
		return ctl_cfg_fail(w, path, NULL, false, "out of memory");
	if (!c->metrics.max_clients)
		c->metrics.max_clients = CTL_METRICS_CLIENTS_DEFAULT;
	if (!c->metrics.timeout_ms)
		c->metrics.timeout_ms = CTL_METRICS_TIMEOUT_DEFAULT;
	return 0;
}
