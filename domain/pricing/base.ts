// What pricing needs to know about a show: its currency, each seat category's base price for
// this show (integer minor units) and which seat is in which category.

export interface PricedShow {
  id: string;
  currency: string;
  prices: Record<string, number>;
  seats: { id: string; category: string; forSale: boolean }[];
}
