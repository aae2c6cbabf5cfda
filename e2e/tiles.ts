/**
 * A small local map tile server for the browser journeys (a real HTTP server answering PNG tiles),
 * so pages with a map load nothing from the Internet. `broken = true` makes it answer bytes that
 * are not an image: the map's tiles then fail to load.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';

export interface TileServer {
  /** The MAP_TILE_URL setting pointing at this server. */
  url: string;
  broken: boolean;
  close(): Promise<void>;
}

export async function startTileServer(): Promise<TileServer> {
  const tile = await sharp({ create: { width: 256, height: 256, channels: 3, background: '#e8efe4' } }).png().toBuffer();
  const state = { broken: false };
  const server = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'image/png', 'access-control-allow-origin': '*' }).end(state.broken ? Buffer.from('not a tile') : tile),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/{z}/{x}/{y}.png`,
    get broken() {
      return state.broken;
    },
    set broken(value: boolean) {
      state.broken = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
