FROM nginx:1.27
CMD nginx -g 'daemon off;'
ENTRYPOINT /docker-entrypoint.sh
HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1
FROM nginx:1.27-alpine
ENTRYPOINT ["/docker-entrypoint.sh"]
CMD ["nginx", "-g", "daemon off;"]
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
FROM nginx:1.27-alpine AS single
CMD ['nginx', '-g', 'daemon off;']
HEALTHCHECK NONE
