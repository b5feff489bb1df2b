# Varnish in front of a site using mmm-wagtail: the API and feeds cached by their dependency
# tags (the xkey vmod, Debian's varnish-modules), purged by tag after each change.
#
# The site: MMM_WAGTAIL["CACHE_TAG_HEADER"] = "xkey" and
#   WAGTAILFRONTENDCACHE = {"varnish": {"BACKEND": "mmm_wagtail.cache.purge.VarnishXkeyBackend",
#                                       "LOCATION": "http://127.0.0.1:6081"}}
# (docs/caching.md, "Varnish"). Tested by .ci/varnish.py, which replaces the backend's port.
vcl 4.1;

import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Who may purge: the site's own processes (its task worker sends the purges).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            # Every object carrying any of these space-separated tags, whatever its URL.
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
        }
        # A URL purge (Wagtail's HTTP backend, for backends without tags).
        return (purge);
    }
    # Only the package's mounts: the API (standalone and inside Wagtail's API v3) and its feeds.
    if (req.url !~ "^/api/(mmm|v3/mmm)/") {
        return (pass);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Answers are the same for every reader: a session cookie must not split or bypass the cache.
    # (Previews carry their token in the query string and answer no-store.)
    if (req.http.Authorization) {
        return (pass);
    }
    unset req.http.Cookie;
    return (hash);
}

sub vcl_backend_response {
    # TTL from Cache-Control s-maxage (CACHE_S_MAXAGE), as Varnish reads it by default; no-store
    # (errors, previews) is never stored. Keep the tags for xkey, drop cookies of cached answers.
    if (bereq.url ~ "^/api/(mmm|v3/mmm)/" && beresp.ttl > 0s) {
        unset beresp.http.Set-Cookie;
    }
}

sub vcl_deliver {
    # For the reader (and the CI check): served from the cache or not.
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The tags are for Varnish: no need to publish them.
    unset resp.http.xkey;
}
