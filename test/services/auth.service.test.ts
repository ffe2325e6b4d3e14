import test from "ava";
import { MemoryStore } from "../../infra/memory-store.ts";
import { StoreUnavailableError } from "../../infra/store.ts";
import authService from "../../services/auth.service.ts";
import { startBroker } from "../helpers/broker.ts";

/** A memory store whose next write of a user record fails as an outage would. */
class StoreFailingOnce extends MemoryStore {
  failNextUserWrite = false;
  override async put<T>(collection: string, id: string, value: T): Promise<void> {
    if (collection === "users" && this.failNextUserWrite) {
      this.failNextUserWrite = false;
      throw new StoreUnavailableError(new Error("Command timed out"));
    }
    return super.put(collection, id, value);
  }
}

test("a sign-up the store failed half-way leaves the address free, so the retry succeeds", async (t) => {
  const store = new StoreFailingOnce();
  const { broker } = await startBroker(t, [authService], {}, store);
  const signUp = { email: "retry@example.com", password: "correct horse battery", name: "Retry" };
  store.failNextUserWrite = true;
  await t.throwsAsync(broker.call("auth.register", signUp), { instanceOf: StoreUnavailableError });
  const retried = await broker.call<{ user: { email: string } }, typeof signUp>("auth.register", signUp);
  t.is(retried.user.email, "retry@example.com");
});
