# The app image for docker-compose.yml (Neo4j runs in its own official image).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graphsvc ./graphsvc
COPY cypher ./cypher
COPY seeds ./seeds
COPY visualize ./visualize
COPY docs ./docs
RUN pip install --no-cache-dir . && useradd --create-home graphsvc \
    && mkdir /cache && chown graphsvc /cache && chmod 700 /cache
# the disk cache (docker-compose.yml mounts a volume here; a new volume takes this owner)
ENV GRAPHSVC_CACHE_DIR=/cache
USER graphsvc
EXPOSE 5000
CMD ["gunicorn", "--workers", "2", "--threads", "4", "--bind", "0.0.0.0:5000", "graphsvc.web.app:create_app()"]
