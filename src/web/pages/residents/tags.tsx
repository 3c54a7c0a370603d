import { HeartFilled } from '@ant-design/icons';
import { Flex, Tag } from 'antd';
import type { CareMark, ResidentKind, Salutation } from '../../api/types';
import { useT } from '../../app/i18n';

/**
 * Care marks (R5) in a warm colour that reads at a glance and keeps AA contrast (dark orange on
 * light orange, about 5.6:1), the same everywhere a resident appears.
 */
const CARE_STYLE = { color: '#ad4e00', background: '#fff7e6', borderColor: '#ffc069', marginInlineEnd: 0 };

export function CareTags({ care }: { care: readonly CareMark[] }) {
  const t = useT();
  if (care.length === 0) return null;
  return (
    <Flex wrap gap={4} data-testid="care-tags">
      {care.map((mark) => (
        <Tag key={mark} icon={<HeartFilled aria-hidden />} style={CARE_STYLE}>
          {t(`residents.care.${mark}`)}
        </Tag>
      ))}
    </Flex>
  );
}

export function KindTag({ kind }: { kind: ResidentKind }) {
  const t = useT();
  return (
    <Tag color={kind === 'owner' ? 'blue' : undefined} style={{ marginInlineEnd: 0 }}>
      {t(`residents.kind.${kind}`)}
    </Tag>
  );
}

export function ArchivedTag() {
  const t = useT();
  return (
    <Tag color="default" style={{ marginInlineEnd: 0 }}>
      {t('residents.archived')}
    </Tag>
  );
}

/** 王建国 先生: the name with the salutation the desk uses, the salutation quieter. */
export function useNameWithSalutation() {
  const t = useT();
  return (name: string, salutation: Salutation | null) =>
    salutation ? `${name} ${t(`residents.salutation.${salutation}`)}` : name;
}
