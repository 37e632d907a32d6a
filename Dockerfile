# syntax=docker/dockerfile:1
# Readout images: one build stage, two final targets.
#
#   docker build --target crawler   -t readout/crawler .
#   docker build --target processor -t readout/processor .
#   docker build --build-arg VERSION=v1.2.0 ...    (crawler --version, readout_build_info)
#
# Static (CGO_ENABLED=0) binaries on distroless/static, running as the
# distroless "nonroot" user (65532). No shell in the final images.

# The approved toolchain (go.mod says the same): patch releases close standard-library
# vulnerabilities, so the version is pinned to one.
ARG GO_VERSION=1.27.3

FROM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=0 GOOS=linux GOFLAGS=-trimpath
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
# The version printed by --version and exported as readout_build_info{version}.
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go build -ldflags="-s -w -X github.com/readout/readout/internal/cli.Version=${VERSION}" -o /out/crawler ./cmd/crawler && \
    go build -ldflags="-s -w -X github.com/readout/readout/internal/cli.Version=${VERSION}" -o /out/processor ./cmd/processor && \
    go build -ldflags="-s -w -X github.com/readout/readout/internal/cli.Version=${VERSION}" -o /out/readout ./cmd/readout && \
    mkdir -p /out/state

FROM gcr.io/distroless/static-debian12:nonroot AS base
LABEL org.opencontainers.image.source="https://github.com/readout/readout" \
      org.opencontainers.image.licenses="see repository"
USER 65532:65532
WORKDIR /

FROM base AS crawler
COPY --from=build /out/crawler /usr/local/bin/crawler
# readout: `readout topics create|check` and `readout health URL` (the healthcheck: no shell here)
COPY --from=build /out/readout /usr/local/bin/readout
COPY configs/sources.yaml /etc/readout/sources.yaml
ENV READOUT_SOURCES=/etc/readout/sources.yaml READOUT_HTTP_ADDR=:9101
EXPOSE 9101
ENTRYPOINT ["/usr/local/bin/crawler"]
CMD ["run"]

FROM base AS processor
COPY --from=build /out/processor /usr/local/bin/processor
COPY --from=build /out/readout /usr/local/bin/readout
# Webhook delivery state lives in Kafka (readout.webhook-state.v1). This directory only
# matters for a webhooks.json left by older versions: it is imported once, then renamed,
# so it is owned by the runtime user for a volume mounted here.
COPY --from=build --chown=65532:65532 /out/state /var/lib/readout
ENV READOUT_HTTP_ADDR=:9102 READOUT_PUBLIC_ADDR=:8102 READOUT_WEBHOOK_STATE=/var/lib/readout
EXPOSE 9102 8102
ENTRYPOINT ["/usr/local/bin/processor"]
CMD ["run"]
