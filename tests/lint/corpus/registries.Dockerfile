FROM localhost:5000/app
FROM my.registry.io:5000/team/app
FROM registry.example.com/team/app
FROM registry.example.com/team/app:1.2
FROM registry.example.com/team/app:latest
FROM 123456789012.dkr.ecr.us-east-1.amazonaws.com/api
FROM quay.io/prometheus/node-exporter:v1.8.1 as exporter
FROM exporter
