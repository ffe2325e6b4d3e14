// A paid booking with its ticket, and an usher signed in with the role: what door and review
// tests start from.
import type { Client } from "./http.ts";

const VISA = "pm_card_visa";

export async function paidTicket(api: Client, show: { id: string; seats: { id: string; status: string }[] }) {
  const user = await api.customer();
  const seats = show.seats.filter((s) => s.status === "available").slice(0, 2).map((s) => s.id);
  const hold = (await api.request("POST", `/api/shows/${show.id}/holds`, { token: user.token, body: { seats } })).body;
  const booking = (await api.request("POST", "/api/bookings", { token: user.token, body: { holdId: hold.id } })).body;
  await api.request("POST", `/api/bookings/${booking.id}/pay`, { token: user.token, body: { paymentMethod: VISA } });
  return { user, ticket: (await api.request("GET", `/api/bookings/${booking.id}/ticket`, { token: user.token })).body };
}

export async function usher(api: Client) {
  const admin = await api.admin();
  const person = await api.customer("Ravi Usher");
  const granted = await api.request("PUT", "/api/admin/users/role", { token: admin, body: { email: person.email, role: "usher" } });
  if (granted.status !== 200) throw new Error(`grant failed ${granted.status}`);
  const login = await api.request("POST", "/api/auth/login", { body: { email: person.email, password: "correct horse battery" } });
  return { token: login.body.token as string, staleToken: person.token, email: person.email };
}

