// The live event stream (/api/v1/stream): reconnects with backoff and hands each
// event to the listener. Events carry references only; views refetch what they show.
export interface StreamEvent {
  type: string;
  data: Record<string, unknown>;
  at?: string;
}

export function connectStream(
  onEvent: (e: StreamEvent) => void,
  onState: (connected: boolean) => void,
): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let delay = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/api/v1/stream`);
    socket.onopen = () => {
      delay = 1000;
      onState(true);
    };
    socket.onmessage = (m) => {
      try {
        onEvent(JSON.parse(String(m.data)) as StreamEvent);
      } catch {
        /* not an event */
      }
    };
    socket.onclose = () => {
      onState(false);
      if (stopped) return;
      timer = setTimeout(open, delay);
      delay = Math.min(delay * 2, 30000);
    };
  };
  open();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    socket?.close();
  };
}
