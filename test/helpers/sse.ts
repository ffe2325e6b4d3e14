// Reads a Server-Sent Events stream in tests.

export interface Frame { event?: string; id?: number; data: any }

/** Reads server-sent events from a streaming response until `until` says enough. */
export async function readEvents(res: Response, until: (frames: Frame[]) => boolean, timeoutMs = 5_000): Promise<Frame[]> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const frames: Frame[] = [];
  let buffer = "";
  const deadline = Date.now() + timeoutMs;
  while (!until(frames) && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<{ done: true; value?: undefined }>((r) => setTimeout(() => r({ done: true }), deadline - Date.now()))]);
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!data) continue;
      const id = /^id: (\d+)$/m.exec(block)?.[1];
      frames.push({ event: /^event: (\w+)$/m.exec(block)?.[1], id: id ? Number(id) : undefined, data: JSON.parse(data) });
    }
  }
  await reader.cancel();
  return frames;
}
