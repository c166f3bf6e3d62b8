#!/usr/bin/env bash
# CI only: a stand-in for public.ecr.aws/lambda/python:3.13-x86_64, which cannot be pulled here.
#
# Debian trixie (debootstrap from the Debian mirror apt uses; its python3 is 3.13) plus AWS's runtime interface
# client (awslambdaric from PyPI) as /var/runtime/bootstrap and a /lambda-entrypoint.sh like the real image's,
# tagged with the real image's exact name: `sam local --skip-pull-image` builds its emulator layer (the Runtime
# Interface Emulator at /var/rapid) on top of whatever image carries that name. The image is saved to a tarball in
# the cache directory, so CI builds it once and then only loads it.
#
# Usage: scripts/sam_local_image.sh CACHE_DIR   (DOCKER_HOST names the engine; needs root for debootstrap)
set -euo pipefail

IMAGE=public.ecr.aws/lambda/python:3.13-x86_64
AWSLAMBDARIC=awslambdaric==4.2.2
CACHE=$1
RECIPE=$(sha256sum "$0" | cut -c1-12)  # a changed recipe builds a new image: caches are keyed by it
TARBALL=$CACHE/lambda-python3.13-x86_64-$RECIPE.tar
ROOTFS=$CACHE/rootfs

if [[ $(docker image inspect --format '{{index .Config.Labels "stand-in-recipe"}}' "$IMAGE" 2>/dev/null) == "$RECIPE" ]]
then
    exit 0
fi
if [[ -f $TARBALL ]]; then
    docker load --quiet --input "$TARBALL"
    exit 0
fi

mirror() {  # the mirror apt already uses, so a machine with its own mirror keeps using it
    local uri
    uri=$(grep -rhoE '^(URIs:|deb) +https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
        grep -oE 'https?://[^ ]+' | head -n1 || true)
    echo "${uri:-http://deb.debian.org/debian}"
}

command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
rm -rf "$ROOTFS"
echo "sam local image: debootstrap trixie from $(mirror)" >&2
debootstrap --variant=minbase --include=python3.13,ca-certificates trixie "$ROOTFS" "$(mirror)" >"$CACHE/debootstrap.log"
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* "$ROOTFS"/usr/share/{doc,man,locale,info}

# The layout of the real image: Python under /var/lang, the runtime client under /var/runtime, code in /var/task.
mkdir -p "$ROOTFS"/var/lang/bin "$ROOTFS"/var/runtime "$ROOTFS"/var/task "$ROOTFS"/opt
for name in python3.13 python3 python; do ln -sf /usr/bin/python3.13 "$ROOTFS/var/lang/bin/$name"; done
"${UV:-uv}" pip install --quiet --target "$ROOTFS/var/runtime" --python-version 3.13 \
    --python-platform x86_64-manylinux_2_28 --only-binary :all: "$AWSLAMBDARIC"

cat >"$ROOTFS/var/runtime/bootstrap" <<'EOF'
#!/bin/sh
# The Python runtime's bootstrap, as the Runtime Interface Emulator (or Lambda) starts it, with _HANDLER set.
export AWS_EXECUTION_ENV=AWS_Lambda_python3.13
# Layers are unpacked under /opt; Lambda's Python runtime puts their python/ folders on sys.path after the code.
export PYTHONPATH="/var/task:/opt/python/lib/python3.13/site-packages:/opt/python${PYTHONPATH:+:$PYTHONPATH}:/var/runtime"
exec /var/lang/bin/python3.13 -m awslambdaric "$_HANDLER"
EOF
cat >"$ROOTFS/lambda-entrypoint.sh" <<'EOF'
#!/bin/sh
# As in public.ecr.aws/lambda/python: the handler is the only argument; without a runtime API, run the emulator.
if [ $# -ne 1 ]; then
  echo "entrypoint requires the handler name to be the first argument" 1>&2
  exit 142
fi
export _HANDLER="$1"

RUNTIME_ENTRYPOINT=/var/runtime/bootstrap
if [ -z "${AWS_LAMBDA_RUNTIME_API}" ]; then
  exec /usr/local/bin/aws-lambda-rie $RUNTIME_ENTRYPOINT
else
  exec $RUNTIME_ENTRYPOINT
fi
EOF
chmod 755 "$ROOTFS/var/runtime/bootstrap" "$ROOTFS/lambda-entrypoint.sh"

tar -C "$ROOTFS" --numeric-owner -c . | docker import \
    --change 'ENV LANG=C.UTF-8 TZ=:/etc/localtime' \
    --change 'ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin' \
    --change 'ENV LD_LIBRARY_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib' \
    --change 'ENV LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime' \
    --change "LABEL stand-in-recipe=$RECIPE" \
    --change 'WORKDIR /var/task' \
    --change 'ENTRYPOINT ["/lambda-entrypoint.sh"]' \
    - "$IMAGE" >/dev/null
rm -rf "$ROOTFS"
docker save --output "$TARBALL" "$IMAGE"
echo "sam local image: $IMAGE built and saved to $TARBALL ($(du -h "$TARBALL" | cut -f1))" >&2
