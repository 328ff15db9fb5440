FROM alpine:3.20
ADD ["app.tar.gz", "/opt/"]
ADD ["config.yml", "/etc/app/"]
ADD "rootfs.tar" /
ADD files/*.tar.bz2 /opt/
ADD https://example.com/a.txt local.txt /opt/
ADD --keep-git-dir=true https://github.com/moby/buildkit.git#v0.10.1 /buildkit
