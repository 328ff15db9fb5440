FROM builder
RUN echo "this refers to an image called builder, not a stage"
FROM node:20 AS builder
RUN npm --version
FROM Builder
