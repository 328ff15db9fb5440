FROM debian:12
RUN exec sudo true
RUN busybox sudo true
RUN env sudo true
RUN builtin command sudo true
RUN nohup sudo true &
RUN time sudo true
RUN $SUDO apt-get install -y make
RUN xargs -a pkgs.txt apt-get install -y
