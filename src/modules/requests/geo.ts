/**
 * Plane geometry enough for a town: inside the town's area (bounding box, then polygon by ray
 * casting), distance between two points (haversine) and the box around a point for a radius,
 * which the repo uses as an index-friendly prefilter.
 */
import type { Point, TownArea } from './types.ts';

const EARTH_RADIUS_M = 6_371_000;
const rad = (deg: number) => (deg * Math.PI) / 180;

export function isValidPoint(p: Point): boolean {
  return Number.isFinite(p.lat) && Number.isFinite(p.lng) && Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180;
}

export function distanceMetres(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The box around `p` that holds every point within `metres` of it. */
export function boxAround(p: Point, metres: number): { minLat: number; maxLat: number; minLng: number; maxLng: number } {
  const dLat = (metres / EARTH_RADIUS_M) * (180 / Math.PI);
  const dLng = dLat / Math.max(Math.cos(rad(p.lat)), 0.01);
  return { minLat: p.lat - dLat, maxLat: p.lat + dLat, minLng: p.lng - dLng, maxLng: p.lng + dLng };
}

function insidePolygon(p: Point, polygon: ReadonlyArray<readonly [number, number]>): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [yi, xi] = polygon[i]!;
    const [yj, xj] = polygon[j]!;
    if (yi > p.lat !== yj > p.lat && p.lng < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Inside the town: within the box and, when the town drew one, the polygon. No area set: anywhere. */
export function insideArea(p: Point, area: TownArea | null): boolean {
  if (!isValidPoint(p)) return false;
  if (!area) return true;
  if (p.lat < area.minLat || p.lat > area.maxLat || p.lng < area.minLng || p.lng > area.maxLng) return false;
  return area.polygon ? insidePolygon(p, area.polygon) : true;
}
