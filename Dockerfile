# syntax=docker/dockerfile:1
# Build: docker build -t casebook .
# Run:   docker run -p 8080:8080 -v casebook-data:/data -v $PWD/casebook.yaml:/etc/casebook/casebook.yaml:ro \
#          -e CASEBOOK_ADMIN_TOKEN=... casebook
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/casebook ./cmd/casebook \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/casebook /usr/local/bin/casebook
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV CASEBOOK_INDEX=/data/index CASEBOOK_ADDR=0.0.0.0:8080
VOLUME ["/data"]
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/usr/local/bin/casebook"]
CMD ["serve", "--config", "/etc/casebook/casebook.yaml"]
