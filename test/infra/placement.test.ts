import test from "ava";
import { preferredNode, shardOf } from "../../infra/placement.ts";

test("a show always lands in the same shard, and shows spread over all shards", (t) => {
  t.is(shardOf("show-a-20261201-1900", 64), shardOf("show-a-20261201-1900", 64));
  const used = new Set(Array.from({ length: 2000 }, (_, i) => shardOf(`show-${i}`, 64)));
  t.is(used.size, 64);
});

test("every caller picks the same preferred node whatever order it lists the nodes in", (t) => {
  for (let shard = 0; shard < 64; shard++) t.is(preferredNode(shard, ["a", "b", "c"]), preferredNode(shard, ["c", "a", "b"]));
  t.is(preferredNode(3, []), undefined);
});

test("when a node leaves, only its shards move; when it joins, only shards moving to it move", (t) => {
  const before = Array.from({ length: 64 }, (_, s) => preferredNode(s, ["a", "b", "c"]));
  const after = Array.from({ length: 64 }, (_, s) => preferredNode(s, ["a", "b"]));
  before.forEach((node, s) => { if (node !== "c") t.is(after[s], node); });
  t.true(before.filter((n) => n === "c").length > 10, "the third node had a fair share");
});
