import { describe, expect, it } from "@jest/globals";
import { lockWaits } from "../../src/metrics/metrics.js";
import { KeyedLock, mapLimit } from "../../src/util/concurrency.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("mapLimit", () => {
  it("keeps order and never exceeds the limit", async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      inFlight--;
      return n * 10;
    });
    expect(out).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(most).toBe(3);
  });

  it("handles an empty list", async () => {
    expect(await mapLimit([], 4, async (n) => n)).toEqual([]);
  });
});

describe("KeyedLock", () => {
  it("runs work for one key one at a time, in arrival order, and other keys freely", async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const job = (key: string, name: string) =>
      lock.run(key, async () => {
        log.push(`start ${name}`);
        await tick();
        log.push(`end ${name}`);
      });
    await Promise.all([job("a", "a1"), job("a", "a2"), job("b", "b1")]);
    expect(log.indexOf("end a1")).toBeLessThan(log.indexOf("start a2"));
    expect(log.indexOf("start b1")).toBeLessThan(log.indexOf("end a1"));
  });

  it("keeps going after a failure", async () => {
    const lock = new KeyedLock();
    await expect(lock.run("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await lock.run("k", async () => 42)).toBe(42);
  });

  it("counts in the metrics the runs that waited for another holder, and only those", async () => {
    const lock = new KeyedLock();
    const waits = async () =>
      (await lockWaits.get()).values.find((v) => v.labels.lock === "process")?.value ?? 0;
    const before = await waits();

    await Promise.all([lock.run("a", tick), lock.run("a", tick), lock.run("a", tick), lock.run("b", tick)]);
    await lock.run("a", tick);

    expect((await waits()) - before).toBe(2);
  });
});
