// Parameter validation that never repeats a value it refused. fastest-validator puts each refused
// value in its error (`actual`), and Moleculer logs every refused request with its error, so a
// card number sent where a string id belongs would reach the logs. The field, the rule broken
// and the message say all a client or an operator needs.
import { Validators } from "moleculer";

type Checker = ReturnType<InstanceType<typeof Validators.Fastest>["compile"]>;

const withoutValues = <T>(result: T): T =>
  (Array.isArray(result) ? result.map((problem: Record<string, unknown>) => { const { actual: _actual, ...rest } = problem; return rest; }) : result) as T;

export class QuietValidator extends Validators.Fastest {
  override compile(schema: Record<string, unknown>): Checker {
    const check = super.compile(schema);
    const quiet = ((params, opts) => {
      const result = check(params, opts);
      return check.async ? Promise.resolve(result).then(withoutValues) : withoutValues(result);
    }) as Checker;
    quiet.async = check.async;
    return quiet;
  }
}
