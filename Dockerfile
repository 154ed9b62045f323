# syntax=docker/dockerfile:1
# casebook container image: a static binary on distroless, running as a
# non-root user, index under the /data volume. See docs/scaling.md.
#
# Build: docker build --build-arg VERSION=v1.0.0 -t casebook:v1.0.0 .
# Run:   docker run -p 8080:8080 -v casebook-data:/data \
#          -v "$PWD/casebook.yaml:/etc/casebook/casebook.yaml:ro" \
#          -e CASEBOOK_ADMIN_TOKEN=... casebook:v1.0.0
#
# cmd/casebook/docker_test.go builds the binary with the `go build` line
# below, starts it and checks this file's instructions: keep them in step.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/casebook ./cmd/casebook
RUN mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION=dev
LABEL org.opencontainers.image.title="casebook" \
      org.opencontainers.image.description="Multilingual search over city good-practice databases" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="see repository"
COPY --from=build /out/casebook /usr/local/bin/casebook
COPY --from=build --chown=65532:65532 /out/data /data
ENV CASEBOOK_INDEX=/data/index \
    CASEBOOK_ADDR=0.0.0.0:8080
VOLUME ["/data"]
EXPOSE 8080
# distroless's nonroot user, by number so that Kubernetes' runAsNonRoot can verify it.
USER 65532:65532
# The image has no shell, curl or wget: the binary asks its own /readyz.
# (No --start-period: serve is ready within seconds, and dockerfilelint
# 1.8 misreads that option.)
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["casebook", "healthcheck"]
ENTRYPOINT ["casebook"]
CMD ["serve", "--config", "/etc/casebook/casebook.yaml"]
