# n8n with this community package installed (production path; see docker-compose.yml).
# The n8n version is pinned to the one the test suite runs against.
ARG N8N_VERSION=2.8.4
FROM n8nio/n8n:${N8N_VERSION}

USER root
COPY package.json package-lock.json LICENSE README.md /tmp/autorecovery/
COPY dist /tmp/autorecovery/dist
COPY workflows /tmp/autorecovery/workflows
# Installed outside the data volume and linked in at start (docker/link-package.sh), so
# node types are n8n-nodes-autorecovery.<node>, exactly what the shipped workflows use.
RUN cd /tmp/autorecovery && npm pack --silent \
	&& mkdir -p /opt/autorecovery && cd /opt/autorecovery && npm init -y >/dev/null \
	&& npm install --omit=dev --no-audit --no-fund /tmp/autorecovery/n8n-nodes-autorecovery-*.tgz \
	&& cp -r /tmp/autorecovery/workflows /opt/autorecovery/workflows \
	&& rm -rf /tmp/autorecovery
COPY docker/link-package.sh /usr/local/bin/link-autorecovery
USER node
ENTRYPOINT ["tini", "--", "/usr/local/bin/link-autorecovery"]
