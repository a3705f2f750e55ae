# The catalog image: opm serving the File-Based Catalog copied to /configs (the build context is the
# catalog directory). Built by components/catalogImage.ts (build "docker").
ARG OPM_IMAGE=quay.io/operator-framework/opm:v1.73.0
FROM ${OPM_IMAGE}
ENTRYPOINT ["/bin/opm"]
CMD ["serve", "/configs", "--cache-dir=/tmp/cache"]
COPY . /configs
RUN ["/bin/opm", "serve", "/configs", "--cache-dir=/tmp/cache", "--cache-only"]
LABEL operators.operatorframework.io.index.configs.v1=/configs
