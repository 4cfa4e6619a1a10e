import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { nativeStatus } from "../../../src/backend/native/index.js";

// Every native kernel against the js reference kernel on random inputs: odd sizes, every transpose,
// batches with shared and strided operands, both float dtypes. CI's .ci/run fails when the addon does not
// load, so there these tests always run; elsewhere the absent addon must say why.
describe("native addon", () => {
  if (!nativeStatus.loaded) {
    test("when the addon is absent it says why, in one line", () => {
      assert.ok(!nativeStatus.loaded && /\S/.test(nativeStatus.reason) && !nativeStatus.reason.includes("\n"));
    });
    return;
  }
  const native = nativeStatus.addon;

  test("cpuInfo names the SIMD level, threads and BLAS", () => {
    const info = native.cpuInfo();
    assert.match(info.simd, /^(avx2\+fma|baseline)$/);
    assert.ok(info.threads >= 1 && info.cores >= 1);
    assert.match(info.blas, /^OpenBLAS /);
  });

  test("cpuInfo names the kernels OpenBLAS runs: the ones OPENBLAS_CORETYPE asks for where it is set", () => {
    const core = native.cpuInfo().blasCore;
    assert.match(core, /^[A-Za-z][A-Za-z0-9]+$/);
    const asked = process.env["OPENBLAS_CORETYPE"];
    if (asked !== undefined) assert.equal(core.toLowerCase(), asked.toLowerCase());
  });
});
