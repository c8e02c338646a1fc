# ToeSite behind Varnish 7 with varnish-modules (xkey). docs/scaling.md shows where it sits.
#
# Public pages come from the app with `Cache-Control: public, s-maxage=...` and an `xkey` header
# naming what they show; after every change the app sends `PURGE /` with the changed keys in an
# `xkey-purge` header (core/purge.py), and every page that shows one of them is dropped at once.
# Anything the app marks private or no-store, or that sets a cookie, is never kept (Varnish's
# built-in rules: it becomes a "hit-for-miss" and goes to the app each time).
vcl 4.1;

import xkey;

# The app server (gunicorn). With several, add a backend each and a directors.round_robin().
# `make serve-cached` and the tests write their own port here.
backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# Only the app servers may purge: add each app server's address.
acl purgers {
    "127.0.0.1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from this address"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Say which keys to purge in xkey-purge"));
        }
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);  # questionnaire answers, feedback, sign-in: straight to the app, never kept
    }
    if (req.url ~ "^/admin" || req.http.Authorization) {
        return (pass);  # staff pages and previews
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);  # a signed-in editor, or a message to show once: the app answers for them alone
    }
    # Public requests: any other cookie (an analytics tool's, a stale CSRF cookie) does not change
    # the page, and would stop Varnish sharing it.
    unset req.http.Cookie;
    return (hash);  # concurrent misses for one page wait for a single fetch (request coalescing)
}

sub vcl_backend_response {
    # No grace: once a page's time is up (midnight, a scheduled publish time), nobody gets the old one.
    set beresp.grace = 0s;
}

sub vcl_deliver {
    unset resp.http.xkey;  # what a page shows is for purging, not for readers
    if (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
}
