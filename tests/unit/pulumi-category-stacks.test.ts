import { strict as assert } from "node:assert";
import { join } from "node:path";
import { kubeObject, recordingBuilder, runProgram, type ProgramRun, type StackInput } from "../../components/testing/mockRuntime.js";
import { readStackFile } from "../../src/platform/stack-file.js";
import { REPO } from "../support/paths.js";

const stackFile = (stack: string): StackInput => readStackFile(join(REPO, `Pulumi.${stack}.yaml`));
const spec = (run: ProgramRun, kind: string, name: string): Record<string, any> => kubeObject(run, kind, name).inputs["spec"] as Record<string, any>;

describe("pulumi program (mocks): platforms that mix categories", () => {
  it("aws: ACK RDS (SingleNamespace on databases), Prometheus (OwnNamespace), OpenTelemetry (AllNamespaces)", async () => {
    const run = await runProgram(stackFile("aws"), { builder: recordingBuilder(), gitRef: "main" });
    const ops = run.outputs["operators"] as Record<string, any>;
    assert.deepEqual(
      Object.fromEntries(Object.entries(ops).map(([k, o]) => [k, [o.package, o.channel, o.installMode, o.headCSV]])),
      {
        otel: ["opentelemetry-operator", "stable-v0", "AllNamespaces", "opentelemetry-operator.v0.158.0"],
        prometheus: ["prometheus", "stable-v0", "OwnNamespace", "prometheusoperator.0.56.3"],
        rds: ["ack-rds-controller", "stable-v1", "SingleNamespace", "ack-rds-controller.v1.11.1"],
      },
    );
    assert.deepEqual(spec(run, "OperatorGroup", "ack-system-operators"), { targetNamespaces: ["databases"] });
    assert.deepEqual(spec(run, "OperatorGroup", "monitoring-operators"), { targetNamespaces: ["monitoring"] });
    assert.deepEqual(spec(run, "OperatorGroup", "observability-operators"), {});
  });

  it("percona-observability: databases, VictoriaMetrics and OpenTelemetry side by side", async () => {
    const run = await runProgram(stackFile("percona-observability"), { builder: recordingBuilder(), gitRef: "main" });
    const ops = run.outputs["operators"] as Record<string, any>;
    assert.deepEqual(Object.keys(ops).sort(), ["otel", "pg", "psmdb", "pxc", "victoriametrics"]);
    assert.equal(ops["otel"].installMode, "AllNamespaces");
    assert.equal(spec(run, "Subscription", "opentelemetry-operator")["channel"], "stable-v0");
  });
});
