// A new SOP from a blank template: one pool for the office, one lane per chosen role, and a first step.

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }[c]));

/** A process id from a name: lower case, words joined by hyphens ("Pengumpulan Data" -> "pengumpulan-data"). */
export function keyFromName(name) {
  const key = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return /^[a-z_]/.test(key) ? key : `sop-${key}`;
}

export function blankSop({ key, name, officeName, roles }) {
  const laneHeight = 140;
  const poolX = 160;
  const poolY = 80;
  const poolWidth = 1100;
  const laneX = poolX + 30;
  const laneWidth = poolWidth - 30;
  const poolHeight = laneHeight * roles.length;
  const firstLaneY = poolY;
  const lanes = roles.map((role, index) => ({ id: `Lajur_${index + 1}`, role, y: poolY + index * laneHeight }));
  const startY = firstLaneY + laneHeight / 2 - 18;
  const taskY = firstLaneY + laneHeight / 2 - 40;

  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:sop="https://kinerjaworkflow.id/schema/sop/1.0" id="Definitions_${escape(key)}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:collaboration id="Kolaborasi">
    <bpmn:participant id="Kantor" name="${escape(officeName)}" processRef="${escape(key)}" />
  </bpmn:collaboration>
  <bpmn:process id="${escape(key)}" name="${escape(name)}" isExecutable="true">
    <bpmn:extensionElements>
      <sop:identity judul="${escape(name)}" kantor="${escape(officeName)}" />
    </bpmn:extensionElements>
    <bpmn:laneSet id="Lajur">
${lanes.map((lane, index) => `      <bpmn:lane id="${lane.id}" name="${escape(lane.role)}">${index === 0 ? `
        <bpmn:flowNodeRef>Mulai</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Langkah_01</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Selesai</bpmn:flowNodeRef>
      ` : ''}</bpmn:lane>`).join('\n')}
    </bpmn:laneSet>
    <bpmn:startEvent id="Mulai" name="Mulai">
      <bpmn:outgoing>Alur_1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="Langkah_01" name="Langkah pertama">
      <bpmn:extensionElements>
        <sop:step nomor="1" waktu="1 Hari Kerja" kelengkapan="" output="" keterangan="" />
      </bpmn:extensionElements>
      <bpmn:incoming>Alur_1</bpmn:incoming>
      <bpmn:outgoing>Alur_2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="Selesai" name="Selesai">
      <bpmn:incoming>Alur_2</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Alur_1" sourceRef="Mulai" targetRef="Langkah_01" />
    <bpmn:sequenceFlow id="Alur_2" sourceRef="Langkah_01" targetRef="Selesai" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="Diagram">
    <bpmndi:BPMNPlane id="Bidang" bpmnElement="Kolaborasi">
      <bpmndi:BPMNShape id="Kantor_di" bpmnElement="Kantor" isHorizontal="true">
        <dc:Bounds x="${poolX}" y="${poolY}" width="${poolWidth}" height="${poolHeight}" />
      </bpmndi:BPMNShape>
${lanes.map((lane) => `      <bpmndi:BPMNShape id="${lane.id}_di" bpmnElement="${lane.id}" isHorizontal="true">
        <dc:Bounds x="${laneX}" y="${lane.y}" width="${laneWidth}" height="${laneHeight}" />
      </bpmndi:BPMNShape>`).join('\n')}
      <bpmndi:BPMNShape id="Mulai_di" bpmnElement="Mulai">
        <dc:Bounds x="240" y="${startY}" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Langkah_01_di" bpmnElement="Langkah_01">
        <dc:Bounds x="330" y="${taskY}" width="100" height="80" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Selesai_di" bpmnElement="Selesai">
        <dc:Bounds x="490" y="${startY}" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Alur_1_di" bpmnElement="Alur_1">
        <di:waypoint x="276" y="${startY + 18}" />
        <di:waypoint x="330" y="${startY + 18}" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Alur_2_di" bpmnElement="Alur_2">
        <di:waypoint x="430" y="${startY + 18}" />
        <di:waypoint x="490" y="${startY + 18}" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
