FROM alpine:3.20
ADD app.py /app/
ADD . /src
ADD rootfs.tar.gz /
ADD https://example.com/install.sh /tmp/install.sh
ADD http://example.com/data.tar.xz /data/
ADD --chown=1000:1000 config.json /etc/app/
ADD archive.tgz local-file.txt /opt/
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/x.tar /x
COPY app.py /app/
ADD git@github.com:moby/buildkit.git /bk
