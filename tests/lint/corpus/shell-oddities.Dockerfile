FROM debian:12
RUN set -o pipefail && curl -fsSL https://example.com | sh
RUN echo $((1+2)) `date` "$(echo "nested | quoted")"
RUN case "$x" in a|b) echo one ;; *) echo two ;; esac
RUN echo hi > /dev/null 2>&1 | cat
RUN echo "line1 \
  line2" | cat
RUN x=$(printf '%s' "a|b") && echo "$x"
RUN echo 'single "double" | pipe'
RUN echo \| literal pipe
RUN a=1 b=2
RUN cd /tmp && true
FROM debian:12 AS two
SHELL ["/bin/bash", "-c", "-o", "pipefail"]
RUN ls | wc -l
FROM debian:12 AS three
SHELL ["/bin/bash", "-c"]
RUN ls | wc -l
