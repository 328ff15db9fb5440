from alpine:3.20 as base
run apk add --no-cache curl
run echo hi
workdir app
user root
cmd echo hello
