import { describe, expect, it } from 'vitest';
import { SlotList } from './slot-list.js';

describe('SlotList', () => {
  it('keeps what was added until deleted, and reuses freed slots', () => {
    const list = new SlotList<{ name: string }>();
    const a = { name: 'a' };
    const b = { name: 'b' };
    const slotA = list.add(a);
    const slotB = list.add(b);
    expect(slotA).not.toBe(slotB);
    expect(list.size).toBe(2);
    expect([...list.values()]).toEqual([a, b]);

    expect(list.delete(slotA)).toBe(a);
    expect(list.delete(slotA)).toBeUndefined(); // a second delete changes nothing
    expect(list.size).toBe(1);
    expect([...list.values()]).toEqual([b]);

    const c = { name: 'c' };
    expect(list.add(c)).toBe(slotA);
    expect([...list.values()]).toEqual([c, b]);
    expect(list.delete(slotB)).toBe(b);
    expect(list.size).toBe(1);
  });

  it('forgets everything on clear', () => {
    const list = new SlotList<object>();
    for (let i = 0; i < 5; i++) list.add({ i });
    list.clear();
    expect(list.size).toBe(0);
    expect([...list.values()]).toEqual([]);
    expect(list.add({})).toBe(0);
  });
});
