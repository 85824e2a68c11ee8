import assert from "node:assert/strict";
import { test } from "node:test";

import { RestartPolicy } from "../src/restartPolicy";

test("a server that never started is not restarted", () => {
  const p = new RestartPolicy();
  assert.equal(p.closed(), "start-failed");
  assert.equal(p.closed(), "start-failed");
});

test("a running server is restarted up to the limit within the window, then given up", () => {
  let now = 0;
  const p = new RestartPolicy(2, 1000, () => now);
  const cycle = () => {
    p.started();
    return p.closed();
  };
  assert.equal(cycle(), "restart");
  now = 100;
  assert.equal(cycle(), "restart");
  now = 200;
  assert.equal(cycle(), "give-up");
  now = 5000; // the earlier crashes are out of the window
  assert.equal(cycle(), "restart");
});
