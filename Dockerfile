# Multi-stage build: a static binary on a distroless, non-root base.
#   docker build -t vigil .                      # the default image (no browser checks)
#   docker build --target browser -t vigil:browser .   # with Chromium for browser checks
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/vigil ./cmd/vigil \
 && mkdir -p /out/data

# Browser checks need Chromium, which a distroless base cannot hold: this
# image is Debian slim with the distribution's chromium, still non-root.
FROM debian:bookworm-slim AS browser
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-liberation ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 65532 --home-dir /data --shell /usr/sbin/nologin vigil
COPY --from=build /out/vigil /usr/local/bin/vigil
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=6s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/vigil", "healthcheck", "-url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/vigil"]
CMD ["serve", "-listen", "0.0.0.0:8080", "-data-dir", "/data"]

# The default image, last so that a plain docker build produces it.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/vigil /usr/local/bin/vigil
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=6s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/vigil", "healthcheck", "-url", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/vigil"]
# Mount a config with -v ./vigil.yaml:/etc/vigil.yaml:ro and add "-config /etc/vigil.yaml".
CMD ["serve", "-listen", "0.0.0.0:8080", "-data-dir", "/data"]
