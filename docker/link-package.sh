#!/bin/sh
# Links the package installed in the image into the n8n data volume on every start, so
# an upgraded image brings its new version even though /home/node/.n8n is a volume.
set -e
mkdir -p /home/node/.n8n/nodes/node_modules
ln -sfn /opt/autorecovery/node_modules/n8n-nodes-autorecovery /home/node/.n8n/nodes/node_modules/n8n-nodes-autorecovery
exec /docker-entrypoint.sh "$@"
