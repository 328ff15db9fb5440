# A Dockerfile with lots of comments

# and blank lines

FROM alpine:3.20


# comment before RUN
RUN apk add --no-cache curl

   # indented comment
RUN apk add --no-cache git


CMD ["sh"]
