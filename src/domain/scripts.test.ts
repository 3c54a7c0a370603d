import { describe, expect, it } from 'vitest';
import { renderScript, unknownPlaceholders } from './scripts.js';

describe('standard scripts (R28, R31, R35)', () => {
  const values = {
    company: '阳光物业',
    community: '阳光花园',
    agent: '张晓',
    employeeNo: '1024',
    resident: '王先生',
  };

  it('fills every placeholder: the greeting with the center and 工号 (R28)', () => {
    const r = renderScript('您好！{company}客户服务中心，工号{employeeNo}，请问有什么可以帮到您？', values);
    expect(r).toEqual({ text: '您好！阳光物业客户服务中心，工号1024，请问有什么可以帮到您？', unfilled: [] });
    expect(renderScript('{resident}好！我是{community}客户服务中心的{agent}', values).text).toBe(
      '王先生好！我是阳光花园客户服务中心的张晓',
    );
  });

  it('addresses an unknown caller as 您, and an unknown community neutrally', () => {
    const r = renderScript('谢谢{resident}将此事告知我们。{community}客户服务中心', {
      ...values,
      resident: null,
      community: undefined,
    });
    expect(r.text).toBe('谢谢您将此事告知我们。本小区客户服务中心');
    expect(r.unfilled).toEqual([]);
    expect(renderScript('请{resident}稍等', { resident: '   ' }).text).toBe('请您稍等');
  });

  it('leaves unknown placeholders, and known ones without a value or a neutral form, visible', () => {
    const r = renderScript('工号{employeeNo}，{foo}，{foo}，{ company }', { company: '阳光' });
    expect(r.text).toBe('工号{employeeNo}，{foo}，{foo}，{ company }');
    expect(r.unfilled).toEqual(['employeeNo', 'foo']);
  });

  it('fills every occurrence and leaves plain braces and text alone', () => {
    expect(renderScript('{agent}/{agent} {} {1x}', values).text).toBe('张晓/张晓 {} {1x}');
  });

  it('names the placeholders it does not know (an edit with them is refused)', () => {
    expect(unknownPlaceholders('{company}{residnet}{name}{residnet}')).toEqual(['residnet', 'name']);
    expect(unknownPlaceholders('{company}{community}{agent}{employeeNo}{resident}')).toEqual([]);
  });
});
