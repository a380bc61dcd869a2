# n8n with this community package installed (production path; see docker-compose.yml).
# The n8n version is pinned to the one the test suite runs against.
ARG N8N_VERSION=2.41.1
# The Alpine release under n8nio/n8n:2.41.1 (3.23 since n8n 2.21, n8n-io/n8n#30478).
ARG ALPINE_VERSION=3.23

# Since n8n 2.1 the official image ships without apk (n8n-io/n8n#23246), so a static apk
# and the signing keys of the same Alpine release are borrowed from a plain Alpine image.
FROM alpine:${ALPINE_VERSION} AS apk-static
RUN apk add --no-cache apk-tools-static

FROM n8nio/n8n:${N8N_VERSION}
ARG ALPINE_VERSION

USER root
# Volume Backup needs the sqlite3 CLI (consistent snapshot of a live SQLite database) and
# pg_dump/pg_restore at /usr/bin, its defaults. The 17 client dumps servers up to 17
# (pg_dump refuses newer servers; Supabase runs 15 or 17, this compose file's Postgres 16).
# Alpine links /usr/bin/pg_dump to the default version (postgresql-common); the loop makes
# sure of it. The checks at the end fail the build instead of shipping an image without the tools.
COPY --from=apk-static /sbin/apk.static /tmp/apk/apk.static
COPY --from=apk-static /etc/apk/keys /tmp/apk/keys
RUN /tmp/apk/apk.static add --no-cache --keys-dir /tmp/apk/keys \
		--repository "https://dl-cdn.alpinelinux.org/alpine/v${ALPINE_VERSION}/main" \
		--repository "https://dl-cdn.alpinelinux.org/alpine/v${ALPINE_VERSION}/community" \
		sqlite postgresql17-client \
	&& rm -rf /tmp/apk \
	&& for tool in pg_dump pg_restore; do [ -e "/usr/bin/$tool" ] || ln -s "/usr/libexec/postgresql17/$tool" "/usr/bin/$tool"; done \
	&& sqlite3 -version && /usr/bin/pg_dump --version && /usr/bin/pg_restore --version

COPY package.json package-lock.json LICENSE README.md /tmp/autorecovery/
COPY dist /tmp/autorecovery/dist
COPY workflows /tmp/autorecovery/workflows
# Installed outside the data volume and linked in at start (docker/link-package.sh), so
# node types are n8n-nodes-autorecovery.<node>, exactly what the shipped workflows use.
# /home/node/shared exists owned by node, so the named volume mounted there is writable.
RUN cd /tmp/autorecovery && npm pack --silent \
	&& mkdir -p /opt/autorecovery && cd /opt/autorecovery && npm init -y >/dev/null \
	&& npm install --omit=dev --no-audit --no-fund /tmp/autorecovery/n8n-nodes-autorecovery-*.tgz \
	&& cp -r /tmp/autorecovery/workflows /opt/autorecovery/workflows \
	&& rm -rf /tmp/autorecovery /root/.npm \
	&& mkdir -p /home/node/shared && chown node:node /home/node/shared
COPY docker/link-package.sh /usr/local/bin/link-autorecovery
USER node
# The same entrypoint serves `n8n` (main) and `n8n worker`: workers need the package too.
ENTRYPOINT ["tini", "--", "/usr/local/bin/link-autorecovery"]
