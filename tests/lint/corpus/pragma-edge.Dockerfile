FROM debian:12
# hadolint ignore=DL3059

RUN echo one
RUN echo two
#hadolint ignore=DL3059
RUN echo three
# hadolint   ignore = DL3059 , DL3004 # explained
RUN sudo echo four
# HADOLINT ignore=DL3059
RUN echo five
# hadolint ignore=DL3059,DT1001
RUN echo six
