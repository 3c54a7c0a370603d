import { describe, expect, it } from 'vitest';
import { maskPhone, nameSearchKeys } from './names.js';

describe('name search keys (R3: found by pinyin initials)', () => {
  it.each([
    ['张三', 'zs', 'zhangsan'],
    ['王建国', 'wjg', 'wangjianguo'],
    ['曾小贤', 'zxx', 'zengxiaoxian'],
    ['单田芳', 'stf', 'shantianfang'],
    ['欧阳娜娜', 'oynn', 'ouyangnana'],
    ['Lily 李', 'll', 'lilyli'],
  ])('%s → %s / %s', (name, initials, full) => {
    expect(nameSearchKeys(name)).toEqual({ initials, pinyin: full });
  });
});

describe('phone masking (R4)', () => {
  it.each([
    ['13800135678', '138****5678'],
    ['02162345678', '021****5678'],
    ['62345678', '623*5678'],
    ['+85291234567', '+852****4567'],
    ['12345', '1***45'],
  ])('%s → %s', (phone, masked) => {
    expect(maskPhone(phone)).toBe(masked);
  });
});
