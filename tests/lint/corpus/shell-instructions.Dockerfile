FROM ubuntu:24.04 AS a
SHELL ["/bin/bash", "-eo", "pipefail", "-c"]
RUN ls | wc -l
FROM ubuntu:24.04 AS b
SHELL ["bash", "-e", "-o", "errexit", "-o", "pipefail", "-c"]
RUN ls | wc -l
FROM ubuntu:24.04 AS c
SHELL ["/bin/sh", "-o", "pipefail", "-c"]
RUN ls | wc -l
FROM ubuntu:24.04 AS d
SHELL ["/usr/bin/bash", "-o", "pipefail", "-c"]
RUN ls | wc -l
FROM alpine:3.20 AS e
SHELL ["/bin/ash", "-o", "pipefail", "-c"]
RUN ls | wc -l
FROM mcr.microsoft.com/powershell:lts-7.4-ubuntu-22.04 AS f
SHELL ["pwsh", "-Command"]
RUN Get-ChildItem | Select-Object Name
FROM ubuntu:24.04 AS g
SHELL ["/bin/zsh", "-o", "pipefail", "-c"]
RUN ls | wc -l
